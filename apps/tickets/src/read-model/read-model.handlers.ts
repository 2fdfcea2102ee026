import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { RequestContext } from '@app/shared/context/request-context';
import { TenantCreatedPayload } from '@app/shared/catalog/platform.catalog';
import {
  BookingCancelledPayload,
  ContractActivatedPayload,
  ContractEventCreatedPayload,
  ContractEventRescheduledPayload,
  ContractEventStatusChangedPayload,
} from '@app/shared/catalog/events-service.catalog';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { StatusFlows } from '../common/status-flows';

/**
 * Keeps the local read models of tenants, contracts and contract events from the events service's domain
 * events. Each row remembers the source aggregate version it reflects: a message older than that changes
 * nothing, so redelivery and reordering are harmless without waiting for gaps (this service does not
 * subscribe to every event type that bumps a contract event's version, so strict ordering would stall).
 * A status change that arrives before its CONTRACT_EVENT_CREATED creates the row; the late CREATED only
 * fills in what is still missing.
 */
@Injectable()
export class ReadModelHandlers {
  constructor(private readonly flows: StatusFlows) {}

  @HandlesEvent('TENANT_CREATED')
  async onTenantCreated(event: Envelope<TenantCreatedPayload>, tx: EntityManager, _ctx: RequestContext): Promise<void> {
    const p = event.payload;
    await tx.query(
      `INSERT INTO tenants (id, name, timezone, locale) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone, locale = EXCLUDED.locale`,
      [event.tenantId, p.name, p.timezone, (p as { locale?: string }).locale ?? null],
    );
    await this.flows.store.seedTenant(event.tenantId, TICKET_MACHINE, tx);
    await this.flows.store.seedTenant(event.tenantId, APPOINTMENT_MACHINE, tx);
  }

  @HandlesEvent('CONTRACT_ACTIVATED')
  async onContractActivated(event: Envelope<ContractActivatedPayload>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    const version = event.aggregateVersion ?? 0;
    await tx.query(
      `INSERT INTO contract_read_models (id, tenant_id, contract_number, title, customer, status, timezone, source_version)
       VALUES ($1, $2, $3, $4, $5, 'active', $6, $7)
       ON CONFLICT (id) DO UPDATE SET contract_number = EXCLUDED.contract_number, title = EXCLUDED.title,
         customer = EXCLUDED.customer, timezone = EXCLUDED.timezone,
         status = CASE WHEN contract_read_models.source_version > EXCLUDED.source_version THEN contract_read_models.status ELSE 'active' END,
         source_version = GREATEST(contract_read_models.source_version, EXCLUDED.source_version), updated_at = now()
       WHERE contract_read_models.tenant_id = EXCLUDED.tenant_id`,
      [p.contractId, event.tenantId, p.contractNumber, p.title, JSON.stringify(p.customer), p.timezone, version],
    );
  }

  @HandlesEvent('BOOKING_CANCELLED')
  async onBookingCancelled(event: Envelope<BookingCancelledPayload>, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE contract_read_models SET status = 'cancelled', source_version = GREATEST(source_version, $3), updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [event.tenantId, event.payload.bookingId, event.aggregateVersion ?? 0],
    );
  }

  @HandlesEvent('CONTRACT_EVENT_CREATED')
  async onEventCreated(event: Envelope<ContractEventCreatedPayload>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    const version = event.aggregateVersion ?? 1;
    await tx.query(
      `INSERT INTO contract_event_read_models (id, tenant_id, contract_id, event_type, task_id, title, status, scheduled_date, source_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET
         task_id = COALESCE(contract_event_read_models.task_id, EXCLUDED.task_id),
         title = COALESCE(contract_event_read_models.title, EXCLUDED.title),
         scheduled_date = CASE WHEN contract_event_read_models.source_version > EXCLUDED.source_version
           THEN COALESCE(contract_event_read_models.scheduled_date, EXCLUDED.scheduled_date) ELSE EXCLUDED.scheduled_date END,
         status = CASE WHEN contract_event_read_models.source_version > EXCLUDED.source_version
           THEN contract_event_read_models.status ELSE EXCLUDED.status END,
         source_version = GREATEST(contract_event_read_models.source_version, EXCLUDED.source_version),
         updated_at = now()
       WHERE contract_event_read_models.tenant_id = EXCLUDED.tenant_id`,
      [p.eventId, event.tenantId, p.contractId, p.eventType, p.taskId, p.title, p.status, p.scheduledDate, version],
    );
  }

  /** STATUS_CHANGED, DUE and OVERDUE all carry the new status. */
  @HandlesEvent(['CONTRACT_EVENT_STATUS_CHANGED', 'CONTRACT_EVENT_DUE', 'CONTRACT_EVENT_OVERDUE'])
  async onEventStatusChanged(event: Envelope<ContractEventStatusChangedPayload>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.upsertNewer(tx, event, p.contractId, p.eventType, (p as { taskId?: string }).taskId ?? null, { status: p.newStatus });
  }

  @HandlesEvent('CONTRACT_EVENT_RESCHEDULED')
  async onEventRescheduled(event: Envelope<ContractEventRescheduledPayload>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await this.upsertNewer(tx, event, p.contractId, p.eventType, null, { scheduledDate: p.newDate });
  }

  private async upsertNewer(
    tx: EntityManager,
    event: Envelope<{ eventId: string }>,
    contractId: string,
    eventType: string,
    taskId: string | null,
    change: { status?: string; scheduledDate?: string },
  ): Promise<void> {
    const version = event.aggregateVersion ?? 0;
    await tx.query(
      `INSERT INTO contract_event_read_models (id, tenant_id, contract_id, event_type, task_id, status, scheduled_date, source_version)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6, 'scheduled'), $7, $8)
       ON CONFLICT (id) DO UPDATE SET
         status = CASE WHEN $6::text IS NOT NULL AND EXCLUDED.source_version > contract_event_read_models.source_version
           THEN $6 ELSE contract_event_read_models.status END,
         scheduled_date = CASE WHEN $7::timestamptz IS NOT NULL AND EXCLUDED.source_version > contract_event_read_models.source_version
           THEN $7 ELSE contract_event_read_models.scheduled_date END,
         task_id = COALESCE(contract_event_read_models.task_id, EXCLUDED.task_id),
         source_version = GREATEST(contract_event_read_models.source_version, EXCLUDED.source_version),
         updated_at = now()
       WHERE contract_event_read_models.tenant_id = EXCLUDED.tenant_id`,
      [event.payload.eventId, event.tenantId, contractId, eventType, taskId, change.status ?? null, change.scheduledDate ?? null, version],
    );
  }
}
