import { Injectable } from '@nestjs/common';
import { ContractActivatedPayload, ContractEventDuePayload } from '@app/shared/catalog/events-service.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { CustomerMessages } from './customer-messages';

/** A due or overdue event as it may arrive: older producers also sent the tenant's name. */
type TimeDrivenPayload = ContractEventDuePayload & { tenantName?: string };

/**
 * Contract events → customer messages: CONTRACT_ACTIVATED → contract_created; CONTRACT_EVENT_DUE →
 * service_reminder (visits, spare parts) or payment_due (billing); billing CONTRACT_EVENT_OVERDUE →
 * payment_overdue. Dates are the event's day in the tenant's timezone.
 */
@Injectable()
export class ContractMessagesConsumer {
  constructor(private readonly messages: CustomerMessages) {}

  @HandlesEvent('CONTRACT_ACTIVATED')
  async onContractActivated(event: Envelope<ContractActivatedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.messages.send(tx, ctx, p.customer, {
      sourceType: 'contract_created',
      sourceId: p.contractId,
      sourceRef: p.contractNumber,
      variables: { customer_name: p.customer?.name, contract_number: p.contractNumber, contract_title: p.title, start_date: p.startDate, end_date: p.endDate },
      businessContext: { contractId: p.contractId, contractNumber: p.contractNumber },
    });
  }

  @HandlesEvent(['CONTRACT_EVENT_DUE', 'CONTRACT_EVENT_OVERDUE'])
  async onEventDue(event: Envelope<TimeDrivenPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    const overdue = event.type === 'CONTRACT_EVENT_OVERDUE';
    const billing = p.eventType === 'billing';
    if (overdue && !billing) return; // overdue service work is the operations cockpit's concern, not a customer message
    const sourceType = billing ? (overdue ? 'payment_overdue' : 'payment_due') : 'service_reminder';
    const date = await this.messages.localDay(tx, ctx.tenantId, p.scheduledDate);
    await this.messages.send(tx, ctx, p.customer, {
      sourceType,
      sourceId: p.eventId,
      sourceRef: p.contract?.contractNumber,
      variables: {
        customer_name: p.customer?.name,
        service_type: p.title,
        service_date: date,
        tenant_name: p.tenantName ?? p.contract?.title ?? '',
        invoice_number: p.taskId ?? p.eventId,
        amount: p.amount ? `${p.currency ?? ''} ${p.amount}`.trim() : undefined,
        due_date: date,
      },
      businessContext: { contractId: p.contractId, eventId: p.eventId, origin: event.type },
    });
  }
}
