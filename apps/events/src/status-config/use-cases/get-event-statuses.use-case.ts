import { Injectable } from '@nestjs/common';
import type { EventStatusFlowView } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { EventFlowService } from '../event-flow.service';

/** The tenant's statuses and transitions of one event type (system defaults when it has none of its own). */
@Injectable()
export class GetEventStatusesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: EventFlowService,
  ) {}

  async execute(ctx: RequestContext, input: { eventType: string }, m: Db = this.db.reader): Promise<EventStatusFlowView> {
    const flow = await this.flows.loadFresh(m, ctx.tenantId, input.eventType);
    return {
      eventType: input.eventType,
      isTenantOverride: flow.isTenantOverride,
      dueLeadDays: flow.settings.dueLeadDays,
      statuses: flow.machine.flow.statuses.map((s) => ({
        code: s.code,
        label: s.label,
        color: s.color ?? null,
        icon: s.icon ?? null,
        order: s.order,
        isInitial: s.isInitial,
        isTerminal: s.isTerminal,
        // Every status of an events flow has a bucket: PUT requires one and the defaults have one.
        category: s.category!,
      })),
      transitions: flow.machine.flow.transitions.map((t) => ({
        from: t.from,
        to: t.to,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        isAutomatic: t.isAutomatic ?? false,
        requiresTasksDone: flow.isTaskGated(t.from, t.to),
      })),
    };
  }
}
