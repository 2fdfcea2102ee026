import { Injectable } from '@nestjs/common';
import { AppointmentCreatedPayload, AppointmentRescheduledPayload, ServiceTicketCompletedPayload } from '@app/shared/catalog/tickets.catalog';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { JobStatusMover } from '../jobs/job-status-mover';
import { JobRepository } from '../jobs/job.repository';
import { CustomerMessages, EventCustomer } from './customer-messages';

/**
 * Field work → customer messages: SERVICE_TICKET_COMPLETED → service_completed; APPOINTMENT_CREATED /
 * RESCHEDULED → appointment_created now and appointment_reminder at start − the tenant's lead time (a
 * rescheduled appointment's old reminder is cancelled).
 */
@Injectable()
export class VisitMessagesConsumer {
  constructor(
    private readonly messages: CustomerMessages,
    private readonly jobs: JobRepository,
    private readonly mover: JobStatusMover,
  ) {}

  @HandlesEvent('SERVICE_TICKET_COMPLETED')
  async onTicketCompleted(event: Envelope<ServiceTicketCompletedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.messages.send(tx, ctx, p.customer, {
      sourceType: 'service_completed',
      sourceId: p.ticketId,
      sourceRef: p.ticketNumber,
      variables: { customer_name: p.customer?.name, ticket_number: p.ticketNumber, completed_at: p.completedAt, contract_number: '' },
      businessContext: { contractId: p.contractId, ticketId: p.ticketId },
    });
  }

  @HandlesEvent('APPOINTMENT_CREATED')
  async onAppointmentCreated(event: Envelope<AppointmentCreatedPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.appointmentMessages(tx, ctx, p.appointmentId, p.startAt, p.customer, 'created');
  }

  @HandlesEvent('APPOINTMENT_RESCHEDULED')
  async onAppointmentRescheduled(event: Envelope<AppointmentRescheduledPayload>, tx: Db, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    // The reminder for the old start must not go out.
    const stale = await this.jobs.lockUnsentOfSource(
      tx,
      ctx.tenantId,
      'appointment_reminder',
      `${p.appointmentId}@${new Date(p.previousStartAt).toISOString()}`,
    );
    await this.mover.moveMany(
      tx,
      stale.map((job) => ({ job, path: ['cancelled'], actor: SYSTEM_ACTORS.system, reason: 'appointment rescheduled', ctx, patch: { nextAttemptAt: null } })),
    );
    await this.appointmentMessages(tx, ctx, p.appointmentId, p.newStartAt, p.customer, 'rescheduled');
  }

  private async appointmentMessages(tx: Db, ctx: RequestContext, appointmentId: string, startAt: string, customer: EventCustomer | undefined, kind: string) {
    const start = new Date(startAt);
    const leadMs = await this.messages.reminderLeadMs(tx, ctx.tenantId);
    const variables = { customer_name: customer?.name, appointment_date: start.toISOString() };
    const sourceId = `${appointmentId}@${start.toISOString()}`;
    await this.messages.send(tx, ctx, customer, { sourceType: 'appointment_created', sourceId, variables, businessContext: { appointmentId, kind } });
    await this.messages.send(tx, ctx, customer, {
      sourceType: 'appointment_reminder',
      sourceId,
      variables,
      scheduledAt: new Date(start.getTime() - leadMs),
      businessContext: { appointmentId },
    });
  }
}
