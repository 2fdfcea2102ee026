import { Injectable } from '@nestjs/common';
import { ReplaceTicketFlowDto, TicketFlowView } from '@app/shared/api/tickets/status-flow-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { StatusFlow } from '@app/shared/status-machine/status-machine';
import { StatusFlows, TicketsMachine } from '../common/status-flows';

/** A tenant's ticket and appointment flows: GET falls back to the system defaults, PUT replaces, DELETE resets. */
@Injectable()
export class StatusFlowSettingsUseCase {
  constructor(private readonly flows: StatusFlows) {}

  async get(ctx: RequestContext, machine: TicketsMachine): Promise<TicketFlowView> {
    const { flow, isTenantOverride } = await this.flows.store.load(ctx.tenantId, machine);
    return {
      machine,
      isTenantOverride,
      statuses: flow.statuses.map((s) => ({
        code: s.code,
        label: s.label,
        color: s.color ?? null,
        icon: s.icon ?? null,
        order: s.order,
        isInitial: s.isInitial,
        isTerminal: s.isTerminal,
        category: s.category ?? null,
      })),
      transitions: flow.transitions.map((t) => ({
        from: t.from,
        to: t.to,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        isAutomatic: t.isAutomatic ?? false,
      })),
    };
  }

  async put(ctx: RequestContext, machine: TicketsMachine, dto: ReplaceTicketFlowDto): Promise<TicketFlowView> {
    const flow: StatusFlow = {
      statuses: dto.statuses.map((s) => ({ ...s, color: s.color ?? null, icon: s.icon ?? null, category: s.category ?? null })),
      transitions: dto.transitions.map((t) => ({ from: t.from, to: t.to, requiresReason: t.requiresReason, requiresEvidence: t.requiresEvidence ?? false })),
    };
    await this.flows.store.replace(ctx.tenantId, machine, flow, ctx.actor.type === 'vani' ? 'vani' : 'tenant');
    return this.get(ctx, machine);
  }

  async reset(ctx: RequestContext, machine: TicketsMachine): Promise<TicketFlowView> {
    await this.flows.store.reset(ctx.tenantId, machine);
    return this.get(ctx, machine);
  }
}
