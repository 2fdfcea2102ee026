import { Injectable } from '@nestjs/common';
import type { EventIdParams } from '@app/shared/api/events/common.dto';
import type { EventTransitionsView } from '@app/shared/api/events/contract-events.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { MONEY_DRIVEN_STATUSES } from '../../status-config/default-flows';
import { EventFlowService } from '../../status-config/event-flow.service';
import { ContractEventRepository } from '../contract-event.repository';

/** The moves the tenant's flow allows from the event's current status, with what each needs. */
@Injectable()
export class ListEventTransitionsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly flows: EventFlowService,
  ) {}

  async execute(ctx: RequestContext, input: EventIdParams): Promise<EventTransitionsView> {
    const m = this.db.reader;
    const e = await this.events.findById(m, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const flow = await this.flows.load(m, ctx.tenantId, e.eventType);
    return {
      eventId: e.id,
      eventType: e.eventType,
      currentStatus: e.status,
      version: e.version,
      items: flow.machine.allowedFrom(e.status).map((t) => ({
        toStatus: t.to,
        label: t.toStatus.label,
        color: t.toStatus.color ?? null,
        icon: t.toStatus.icon ?? null,
        category: t.toStatus.category ?? null,
        isTerminal: t.toStatus.isTerminal,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        requiresTasksDone: flow.isTaskGated(e.status, t.to),
        isAutomatic: t.isAutomatic ?? false,
        // false for money-driven moves (billing paid / partial_payment): they come from POST /payments.
        manual: !(e.eventType === 'billing' && MONEY_DRIVEN_STATUSES.includes(t.to) && t.isAutomatic),
      })),
    };
  }
}
