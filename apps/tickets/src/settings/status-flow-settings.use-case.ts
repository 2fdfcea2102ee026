import { Injectable } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { PutStatusFlowDto } from '@app/shared/api/tickets/status-flow-settings.dto';
import { StatusFlow } from '@app/shared/status-machine/status-machine';
import { StatusFlows, TicketsMachine } from '../common/status-flows';

/** A tenant's ticket and appointment flows: GET falls back to the system defaults, PUT replaces, DELETE resets. */
@Injectable()
export class StatusFlowSettingsUseCase {
  constructor(private readonly flows: StatusFlows) {}

  async get(ctx: RequestContext, machine: TicketsMachine) {
    const { flow, isTenantOverride } = await this.flows.store.load(ctx.tenantId, machine);
    return { machine, isTenantOverride, ...flow };
  }

  async put(ctx: RequestContext, machine: TicketsMachine, dto: PutStatusFlowDto) {
    const flow: StatusFlow = {
      statuses: dto.statuses.map((s) => ({ ...s, color: s.color ?? null, icon: s.icon ?? null, category: s.category ?? null })),
      transitions: dto.transitions.map((t) => ({ from: t.from, to: t.to, requiresReason: t.requiresReason, requiresEvidence: t.requiresEvidence ?? false })),
    };
    await this.flows.store.replace(ctx.tenantId, machine, flow, ctx.actor.type === 'vani' ? 'vani' : 'tenant');
    return this.get(ctx, machine);
  }

  async reset(ctx: RequestContext, machine: TicketsMachine) {
    await this.flows.store.reset(ctx.tenantId, machine);
    return this.get(ctx, machine);
  }
}
