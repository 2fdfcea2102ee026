import { Injectable } from '@nestjs/common';
import { ContractRenewalUpcomingPayload, ContractStatusChangedPayload, PaymentRecordedPayload } from '@app/shared/catalog/contract-lifecycle.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { JobCreator } from '../jobs/job-creator';
import { CustomerMessages } from './customer-messages';

/** The source types this consumer triggers (the sources coverage test reads it). */
export const LIFECYCLE_SOURCE_TYPES = ['payment_received', 'contract_signed'] as const;

/**
 * The contract lifecycle → customer messages: PAYMENT_RECORDED → payment_received (one per payment);
 * CONTRACT_STATUS_CHANGED pending_review → active (a booking approved: the customer's contract is signed)
 * → contract_signed; CONTRACT_RENEWAL_UPCOMING → an in-app `system` notice to the contract's account manager
 * (none without one). service_scheduled is not triggered here: a visit's customer messages are
 * appointment_created (on creation and confirmation) and appointment_reminder, and a second message for the
 * same visit would be noise; it is for external producers (README, "Source types").
 */
@Injectable()
export class LifecycleMessagesConsumer {
  constructor(
    private readonly messages: CustomerMessages,
    private readonly creator: JobCreator,
  ) {}

  @HandlesEvent('PAYMENT_RECORDED')
  async onPaymentRecorded(event: Envelope<PaymentRecordedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    const money = (amount: string) => `${p.currency ?? ''} ${amount}`.trim();
    await this.messages.send(tx, ctx, p.customer, {
      sourceType: 'payment_received',
      sourceId: p.paymentId,
      sourceRef: p.contract.contractNumber,
      variables: {
        customer_name: p.customer?.name,
        amount: money(p.amount),
        method: p.method.replace(/_/g, ' '),
        reference_note: p.reference ? `, ref ${p.reference}` : '',
        paid_at: await this.messages.localDay(tx, ctx.tenantId, p.paidAt),
        invoice_number: p.taskId,
        contract_number: p.contract.contractNumber,
        total_paid: money(p.totalPaid),
        balance: money(p.balance),
      },
      businessContext: { contractId: p.contractId, eventId: p.eventId, paymentId: p.paymentId },
    });
  }

  @HandlesEvent('CONTRACT_STATUS_CHANGED')
  async onContractStatusChanged(event: Envelope<ContractStatusChangedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    if (!(p.previousStatus === 'pending_review' && p.newStatus === 'active')) return;
    await this.messages.send(tx, ctx, p.customer, {
      sourceType: 'contract_signed',
      sourceId: p.contractId,
      sourceRef: p.contractNumber,
      variables: { customer_name: p.customer?.name, contract_number: p.contractNumber, contract_title: p.title },
      businessContext: { contractId: p.contractId },
    });
  }

  @HandlesEvent('CONTRACT_RENEWAL_UPCOMING')
  async onRenewalUpcoming(event: Envelope<ContractRenewalUpcomingPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    if (!p.accountManagerId) return;
    await this.creator.create(tx, ctx, {
      sourceType: 'system',
      sourceId: `renewal:${p.contractId}`,
      sourceRef: p.contractNumber,
      channels: ['inapp'],
      recipient: { type: 'user', id: p.accountManagerId, name: 'Account manager' },
      variables: {
        title: `Contract ${p.contractNumber} ends on ${p.endDate}`,
        body: `${p.title}${p.customer?.name ? ` (${p.customer.name})` : ''} ends in ${p.daysUntilEnd} days: renew it with POST /contracts/${p.contractId}/renew.`,
      },
      businessContext: { contractId: p.contractId, origin: event.type },
    });
  }
}
