import { Injectable } from '@nestjs/common';
import { EventStatusFlowView, ReplaceEventStatusesDto } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { assertValidFlow } from '@app/shared/status-machine/status-machine';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventFlowService } from '../event-flow.service';
import { assertStatusesKept } from '../statuses-in-use';
import { GetEventStatusesUseCase } from './get-event-statuses.use-case';

/**
 * Replaces the tenant's flow of one event type. Validated by the shared engine (exactly one initial status,
 * transitions between existing statuses); a status still held by one of the tenant's events may not go.
 */
@Injectable()
export class ReplaceEventStatusesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
    private readonly view: GetEventStatusesUseCase,
  ) {}

  async execute(ctx: RequestContext, input: ReplaceEventStatusesDto): Promise<EventStatusFlowView> {
    const flow = {
      // A flag left out is false, so a flow read with GET goes back with only the new parts written.
      statuses: input.statuses.map((s) => ({
        code: s.code,
        label: s.label,
        color: s.color ?? null,
        icon: s.icon ?? null,
        order: s.order,
        isInitial: s.isInitial ?? false,
        isTerminal: s.isTerminal ?? false,
        category: s.category,
      })),
      transitions: input.transitions.map((t) => ({
        from: t.from,
        to: t.to,
        requiresReason: t.requiresReason ?? false,
        requiresEvidence: t.requiresEvidence ?? false,
        isAutomatic: t.isAutomatic ?? false,
      })),
    };
    assertValidFlow(flow);
    return this.db.run(async (tx) => {
      assertStatusesKept(await this.events.statusesInUse(tx, ctx.tenantId, input.eventType), new Set(flow.statuses.map((s) => s.code)));
      const current = await this.flows.loadFresh(tx, ctx.tenantId, input.eventType);
      await this.flows.replace(tx, ctx.tenantId, input.eventType, flow, {
        dueLeadDays: input.dueLeadDays ?? current.settings.dueLeadDays,
        taskGatedTransitions: input.transitions.filter((t) => t.requiresTasksDone).map((t) => ({ from: t.from, to: t.to })),
      });
      return this.view.execute(ctx, { eventType: input.eventType }, tx);
    });
  }
}
