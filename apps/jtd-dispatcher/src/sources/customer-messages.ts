import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { JobCreator, JobRequest } from '../jobs/job-creator';
import { TenantConfigRepository } from '../settings/tenant-config.repository';

/** The customer a domain event names (contract, ticket or appointment events alike). */
export interface EventCustomer {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
}

/** What the sources share: messages to the customer an event names, and calendar days in the tenant's timezone. */
@Injectable()
export class CustomerMessages {
  private readonly logger = new Logger('JtdSources');

  constructor(
    private readonly creator: JobCreator,
    private readonly tenants: TenantConfigRepository,
  ) {}

  /** Jobs of a source type to the event's customer; an event without a customer (name) gets none, with a warning. */
  async send(tx: Db, ctx: RequestContext, customer: EventCustomer | undefined, req: Omit<JobRequest, 'recipient'>): Promise<void> {
    if (!customer?.name) {
      this.logger.warn(`${req.sourceType} ${req.sourceId}: no customer in the event, no message`);
      return;
    }
    const recipient = { type: 'customer', id: customer.id, name: customer.name, email: customer.email, phone: customer.phone };
    await this.creator.create(tx, ctx, { ...req, recipient });
  }

  /**
   * The events service sends an event's instant (midnight in the contract's zone, e.g. 18:30Z the day
   * before for Kolkata); the customer must read the calendar day, which is the one in the tenant's zone.
   */
  async localDay(tx: Db, tenantId: string, scheduledDate: string | undefined): Promise<string> {
    const raw = String(scheduledDate ?? '');
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
    const at = DateTime.fromISO(raw, { zone: (await this.tenants.get(tx, tenantId)).timezone });
    return at.isValid ? at.toISODate()! : raw.slice(0, 10);
  }

  /** How long before an appointment the tenant reminds the customer. */
  async reminderLeadMs(tx: Db, tenantId: string): Promise<number> {
    return (await this.tenants.get(tx, tenantId)).appointmentReminderLeadMinutes * 60_000;
  }
}
