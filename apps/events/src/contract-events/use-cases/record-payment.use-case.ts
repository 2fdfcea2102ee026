import { Injectable } from '@nestjs/common';
import { RecordPaymentDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { fromCents, toCents } from '../../contracts/money';
import { PAID, PARTIAL_PAYMENT } from '../../status-config/default-flows';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { EventAuditRepository } from '../event-audit.repository';
import { EventStatusMover } from '../event-status-mover';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/**
 * Money received against a billing event. Settled in full → `paid`, in part → `partial_payment` (the
 * money-driven statuses of seed-systems §2.4), each move still checked against the tenant's flow.
 * Paying more than is outstanding is refused.
 */
@Injectable()
export class RecordPaymentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly audit: EventAuditRepository,
    private readonly mover: EventStatusMover,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: RecordPaymentDto): Promise<ContractEventView> {
    return this.db.run(async (tx) => {
      let e = await lockEvent(tx, this.events, ctx.tenantId, input.id, input.version);
      if (e.eventType !== 'billing' || e.amount === null) throw DomainError.rule('payments are recorded against billing events only', { type: e.eventType });
      const paid = toCents(input.amount);
      if (paid <= 0n) throw DomainError.validation({ amount: ['amount must be more than zero'] });
      const outstanding = toCents(e.amount) - toCents(e.amountSettled);
      if (paid > outstanding) {
        throw DomainError.rule(`only ${fromCents(outstanding)} is outstanding on this event`, { outstanding: fromCents(outstanding), amount: fromCents(paid) });
      }
      const settled = fromCents(toCents(e.amountSettled) + paid);
      const target = paid === outstanding ? PAID : PARTIAL_PAYMENT;
      const now = this.clock.now();
      // Check the move before writing anything, so a flow that forbids it leaves the money untouched.
      if (e.status !== target) (await this.mover.flowFor(tx, ctx.tenantId, e.eventType)).machine.check({ from: e.status, to: target, reason: 'payment' });
      const version = await this.events.setFields(tx, e, { amountSettled: settled }, now);
      await this.audit.append(tx, [
        {
          tenantId: ctx.tenantId,
          eventId: e.id,
          field: 'amount_settled',
          from: e.amountSettled,
          to: settled,
          actor: ctx.actor,
          source: sourceOf(ctx.actor),
          reason: input.reference ? `Payment ${input.reference}` : 'Payment recorded',
          at: now,
        },
      ]);
      e = { ...e, amountSettled: settled, version };
      if (e.status !== target)
        e = await this.mover.move(tx, ctx, e, target, { by: 'system', reason: input.reference ? `Payment ${input.reference}` : 'Payment recorded' });
      return eventView(e, (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? []);
    });
  }
}
