import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RecordPaymentDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../../contracts/contract.repository';
import { fromCents, toCents } from '../../contracts/money';
import { PaymentRepository } from '../../contracts/payment.repository';
import { PAID, PARTIAL_PAYMENT } from '../../status-config/default-flows';
import { ContractEventRepository, ContractEventRow } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { EventAuditRepository } from '../event-audit.repository';
import { EventStatusMover } from '../event-status-mover';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/**
 * Money received against a billing event. Settled in full → `paid`, in part → `partial_payment` (the
 * money-driven statuses of seed-systems §2.4), each move still checked against the tenant's flow.
 * Paying more than is outstanding is refused. Each payment is a row (amount, method, reference, paidAt,
 * who); partial payments add up in integer cents. A reference already recorded on the contract is that
 * payment: the same amount on the same event answers the event as it is, anything else is a conflict.
 * PAYMENT_RECORDED carries the running totals of the event and of the contract.
 */
@Injectable()
export class RecordPaymentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly contracts: ContractRepository,
    private readonly payments: PaymentRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly audit: EventAuditRepository,
    private readonly mover: EventStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: RecordPaymentDto): Promise<ContractEventView> {
    return this.db.run(async (tx) => {
      let e = await lockEvent(tx, this.events, ctx.tenantId, input.id);
      if (e.eventType !== 'billing' || e.amount === null) throw DomainError.rule('payments are recorded against billing events only', { type: e.eventType });
      const paid = toCents(input.amount);
      if (paid <= 0n) throw DomainError.validation({ amount: ['amount must be more than zero'] });
      const now = this.clock.now();
      const paidAt = input.paidAt ? new Date(input.paidAt) : now;
      if (paidAt.getTime() > now.getTime() + 60_000) throw DomainError.validation({ paidAt: ['paidAt must not be in the future'] });
      if (input.reference) {
        const known = await this.payments.findByReference(tx, ctx.tenantId, e.contractId, input.reference);
        if (known) return this.replay(tx, ctx, e, known, paid);
      }
      if (e.version !== input.version) throw DomainError.versionConflict(input.version, e.version);
      const outstanding = toCents(e.amount) - toCents(e.amountSettled);
      if (paid > outstanding) {
        throw DomainError.rule(`only ${fromCents(outstanding)} is outstanding on this event`, { outstanding: fromCents(outstanding), amount: fromCents(paid) });
      }
      const settled = fromCents(toCents(e.amountSettled) + paid);
      const target = paid === outstanding ? PAID : PARTIAL_PAYMENT;
      // Check the move before writing anything, so a flow that forbids it leaves the money untouched.
      if (e.status !== target) (await this.mover.flowFor(tx, ctx.tenantId, e.eventType)).machine.check({ from: e.status, to: target, reason: 'payment' });
      const paymentId = randomUUID();
      const method = input.method ?? 'other';
      const source = sourceOf(ctx.actor);
      const payment = {
        id: paymentId,
        tenantId: ctx.tenantId,
        contractId: e.contractId,
        eventId: e.id,
        amount: fromCents(paid),
        currency: e.currency,
        method,
        reference: input.reference ?? null,
        paidAt,
      };
      if (!(await this.payments.insert(tx, payment, ctx.actor, source, now))) {
        // a concurrent request with the same reference committed first (it held the event lock before us)
        throw new DomainError(ErrorCode.CONFLICT, `payment reference ${input.reference} is already recorded on this contract`, { field: 'reference' });
      }
      const version = await this.events.setFields(tx, e, { amountSettled: settled }, now);
      const reason = input.reference ? `Payment ${input.reference}` : 'Payment recorded';
      await this.audit.append(tx, [
        { tenantId: ctx.tenantId, eventId: e.id, field: 'amount_settled', from: e.amountSettled, to: settled, actor: ctx.actor, source, reason, at: now },
      ]);
      e = { ...e, amountSettled: settled, version };
      if (e.status !== target) e = await this.mover.move(tx, ctx, e, target, { by: 'system', reason });
      const contract = (await this.contracts.findById(tx, ctx.tenantId, e.contractId))!;
      const totals = await this.payments.contractTotals(tx, ctx.tenantId, e.contractId);
      await this.outbox.append(tx, ctx, [
        {
          // no aggregateVersion: it accompanies the event's own change (amount and status) that carries it
          type: 'PAYMENT_RECORDED',
          aggregateId: e.id,
          payload: {
            paymentId,
            contractId: e.contractId,
            contract: { id: contract.id, contractNumber: contract.contractNumber, title: contract.title },
            ...(contract.customer?.name ? { customer: contract.customer } : {}),
            eventId: e.id,
            taskId: e.taskId,
            eventTitle: e.title,
            amount: payment.amount,
            ...(e.currency ? { currency: e.currency } : {}),
            method,
            ...(input.reference ? { reference: input.reference } : {}),
            paidAt: paidAt.toISOString(),
            totalPaid: settled,
            balance: fromCents(toCents(e.amount!) - toCents(settled)),
            contractTotalPaid: totals.paid,
            contractBalance: fromCents(toCents(totals.billed) - toCents(totals.paid)),
            eventStatus: e.status,
            recordedBy: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return this.view(tx, ctx, e);
    });
  }

  /** The same reference again: the same payment answers the event as it is; a different one is a conflict. */
  private async replay(
    tx: Db,
    ctx: RequestContext,
    e: ContractEventRow,
    known: { eventId: string; amount: string; reference: string | null },
    paid: bigint,
  ): Promise<ContractEventView> {
    if (known.eventId !== e.id || toCents(known.amount) !== paid) {
      throw new DomainError(ErrorCode.CONFLICT, `payment reference ${known.reference} is already recorded on this contract for another payment`, {
        field: 'reference',
      });
    }
    return this.view(tx, ctx, e);
  }

  private async view(tx: Db, ctx: RequestContext, e: ContractEventRow): Promise<ContractEventView> {
    return eventView(e, (await this.assignees.ofEvents(tx, ctx.tenantId, [e.id])).get(e.id) ?? []);
  }
}
