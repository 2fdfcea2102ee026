import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { JobStatusService } from '../jobs/job-status.service';
import { JOB_COLUMNS, JobRow } from '../jobs/job-row';
import { CreateJobsCommand, CreateJobsUseCase } from '../jobs/use-cases/create-jobs.use-case';
import { TenantConfigRepository } from '../settings/tenant-config.repository';

interface Customer {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
}

/**
 * Domain events → jobs, through the source types. Every handler runs in the consumer's transaction with
 * the inbox record, and creation is idempotent on (source, source id, channel, template), so a redelivered
 * event creates nothing new.
 */
@Injectable()
export class DomainEventSources {
  private readonly logger = new Logger('JtdSources');

  constructor(
    private readonly createJobs: CreateJobsUseCase,
    private readonly tenants: TenantConfigRepository,
    private readonly status: JobStatusService,
  ) {}

  @HandlesEvent('TENANT_CREATED')
  async onTenantCreated(event: Envelope<any>, tx: EntityManager): Promise<void> {
    await this.tenants.seedFromRegistration(tx, event.tenantId, event.payload.timezone ?? 'UTC');
  }

  @HandlesEvent('JTD_REQUESTED')
  async onRequested(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.createJobs.execute(
      {
        ctx,
        eventType: p.eventType,
        sourceType: p.sourceType,
        sourceId: p.sourceId,
        channels: p.channels,
        recipient: p.recipient,
        templateKey: p.templateKey,
        variables: p.variables ?? {},
        scheduledAt: p.scheduledAt,
        priority: p.priority,
        isLive: p.isLive,
        requestId: `${event.source}:${p.requestId}`,
        businessContext: { requestedBy: event.source },
      },
      tx,
    );
  }

  @HandlesEvent('CONTRACT_ACTIVATED')
  async onContractActivated(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.toCustomer(tx, ctx, p.customer, {
      sourceType: 'contract_created',
      sourceId: p.contractId,
      sourceRef: p.contractNumber,
      variables: { customer_name: p.customer?.name, contract_number: p.contractNumber, contract_title: p.title, start_date: p.startDate, end_date: p.endDate },
      businessContext: { contractId: p.contractId, contractNumber: p.contractNumber },
    });
  }

  @HandlesEvent(['CONTRACT_EVENT_DUE', 'CONTRACT_EVENT_OVERDUE'])
  async onEventDue(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    const overdue = event.type === 'CONTRACT_EVENT_OVERDUE';
    const billing = p.eventType === 'billing';
    if (overdue && !billing) return; // overdue service work is the operations cockpit's concern, not a customer message
    const sourceType = billing ? (overdue ? 'payment_overdue' : 'payment_due') : 'service_reminder';
    const date = await this.localDay(tx, ctx.tenantId, p.scheduledDate);
    await this.toCustomer(tx, ctx, p.customer, {
      sourceType,
      sourceId: p.eventId,
      sourceRef: p.contract?.contractNumber,
      variables: {
        customer_name: p.customer?.name, service_type: p.title, service_date: date, tenant_name: p.tenantName ?? p.contract?.title ?? '',
        invoice_number: p.taskId ?? p.eventId, amount: p.amount ? `${p.currency ?? ''} ${p.amount}`.trim() : undefined, due_date: date,
      },
      businessContext: { contractId: p.contractId, eventId: p.eventId, origin: event.type },
    });
  }

  @HandlesEvent('SERVICE_TICKET_COMPLETED')
  async onTicketCompleted(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.toCustomer(tx, ctx, p.customer, {
      sourceType: 'service_completed',
      sourceId: p.ticketId,
      sourceRef: p.ticketNumber,
      variables: { customer_name: p.customer?.name, ticket_number: p.ticketNumber, completed_at: p.completedAt, contract_number: '' },
      businessContext: { contractId: p.contractId, ticketId: p.ticketId },
    });
  }

  @HandlesEvent('APPOINTMENT_CREATED')
  async onAppointmentCreated(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await this.appointmentMessages(tx, ctx, p.appointmentId, p.startAt, p.customer, 'created');
  }

  @HandlesEvent('APPOINTMENT_RESCHEDULED')
  async onAppointmentRescheduled(event: Envelope<any>, tx: EntityManager, ctx: RequestContext): Promise<void> {
    const p = event.payload;
    // The reminder for the old start must not go out.
    const stale: JobRow[] = await tx.query(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE tenant_id = $1 AND source_type_code = 'appointment_reminder' AND source_id = $2
         AND status_code IN ('created','scheduled','pending','held') FOR UPDATE`,
      [ctx.tenantId, `${p.appointmentId}@${new Date(p.previousStartAt).toISOString()}`],
    );
    for (const job of stale) {
      await this.status.move(tx, job, 'cancelled', SYSTEM_ACTORS.system, { note: 'appointment rescheduled', ctx, set: { next_attempt_at: null } });
    }
    await this.appointmentMessages(tx, ctx, p.appointmentId, p.newStartAt, p.customer, 'rescheduled');
  }

  private async appointmentMessages(tx: EntityManager, ctx: RequestContext, appointmentId: string, startAt: string, customer: Customer | undefined, kind: string) {
    const start = new Date(startAt);
    const config = await this.tenants.get(ctx.tenantId, tx);
    const variables = { customer_name: customer?.name, appointment_date: start.toISOString() };
    await this.toCustomer(tx, ctx, customer, {
      sourceType: 'appointment_created',
      sourceId: `${appointmentId}@${start.toISOString()}`,
      variables,
      businessContext: { appointmentId, kind },
    });
    await this.toCustomer(tx, ctx, customer, {
      sourceType: 'appointment_reminder',
      sourceId: `${appointmentId}@${start.toISOString()}`,
      variables,
      scheduledAt: new Date(start.getTime() - config.appointmentReminderLeadMinutes * 60_000),
      businessContext: { appointmentId },
    });
  }

  /**
   * The events service sends the event's instant (midnight in the contract's zone, e.g. 18:30Z the day
   * before for Kolkata); the customer must read the calendar day, which is the one in the tenant's zone.
   */
  private async localDay(tx: EntityManager, tenantId: string, scheduledDate: unknown): Promise<string> {
    const raw = String(scheduledDate ?? '');
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
    const at = DateTime.fromISO(raw, { zone: (await this.tenants.get(tenantId, tx)).timezone });
    return at.isValid ? at.toISODate()! : raw.slice(0, 10);
  }

  private async toCustomer(tx: EntityManager, ctx: RequestContext, customer: Customer | undefined, cmd: Omit<CreateJobsCommand, 'ctx' | 'recipient'>) {
    if (!customer?.name) {
      this.logger.warn(`${cmd.sourceType} ${cmd.sourceId}: no customer in the event, no message`);
      return;
    }
    const recipient = { type: 'customer', id: customer.id, name: customer.name, email: customer.email, phone: customer.phone };
    await this.createJobs.execute({ ...cmd, ctx, recipient }, tx);
  }
}
