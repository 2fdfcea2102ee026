import { Injectable } from '@nestjs/common';
import {
  BookingCancelledPayload,
  ContractActivatedPayload,
  ContractEventCreatedPayload,
  ContractEventsCreatedPayload,
  ContractEventRescheduledPayload,
  ContractEventStatusChangedPayload,
} from '@app/shared/catalog/events-service.catalog';
import { ContractStatusChangedPayload } from '@app/shared/catalog/contract-lifecycle.catalog';
import { TenantCreatedPayload } from '@app/shared/catalog/platform.catalog';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { EventBatchItem, HandlesEvent, HandlesEventBatch } from '@app/shared/messaging/handles-event.decorator';
import { TicketFlows } from '../settings/ticket-flows';
import { ReadModelRepository } from './read-model.repository';

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
  constructor(
    private readonly readModel: ReadModelRepository,
    private readonly flows: TicketFlows,
  ) {}

  @HandlesEvent('TENANT_CREATED')
  async onTenantCreated(event: Envelope<TenantCreatedPayload>, tx: Db): Promise<void> {
    const p = event.payload;
    await this.readModel.saveTenant(tx, event.tenantId, { name: p.name, timezone: p.timezone, locale: (p as { locale?: string }).locale ?? null });
    await this.flows.seedTenant(tx, event.tenantId);
  }

  @HandlesEvent('CONTRACT_ACTIVATED')
  async onContractActivated(event: Envelope<ContractActivatedPayload>, tx: Db): Promise<void> {
    const p = event.payload;
    const contract = {
      id: p.contractId,
      tenantId: event.tenantId,
      contractNumber: p.contractNumber,
      title: p.title,
      customer: p.customer,
      timezone: p.timezone,
    };
    await this.readModel.saveActiveContract(tx, contract, event.aggregateVersion ?? 0);
  }

  @HandlesEvent('BOOKING_CANCELLED')
  async onBookingCancelled(event: Envelope<BookingCancelledPayload>, tx: Db): Promise<void> {
    await this.readModel.cancelContract(tx, event.tenantId, event.payload.bookingId, event.aggregateVersion ?? 0);
  }

  /**
   * Every later status of a contract (completed, expired at the end date; cancelled too). The version is in
   * the payload: the message accompanies the one that carries it as aggregateVersion. Contracts never
   * activated are not in the read model and stay out of it.
   */
  @HandlesEvent('CONTRACT_STATUS_CHANGED')
  async onContractStatusChanged(event: Envelope<ContractStatusChangedPayload>, tx: Db): Promise<void> {
    const p = event.payload;
    if (p.newStatus === 'active') return; // CONTRACT_ACTIVATED brings the row with its number, title and customer
    await this.readModel.setContractStatus(tx, event.tenantId, p.contractId, p.newStatus, p.version);
  }

  /**
   * An activation's events arrive by the hundred (CONTRACT_EVENTS_CREATED lists up to 250), events created on
   * demand one by one: those delivered together are saved in one statement, each at its first version.
   */
  @HandlesEventBatch(['CONTRACT_EVENT_CREATED', 'CONTRACT_EVENTS_CREATED'])
  async onEventsCreated(items: EventBatchItem<ContractEventCreatedPayload | ContractEventsCreatedPayload>[], tx: Db): Promise<void> {
    await this.readModel.saveCreatedEvents(
      tx,
      items.flatMap(({ event }) =>
        ('events' in event.payload ? event.payload.events : [event.payload]).map((p) => ({
          event: {
            id: p.eventId,
            tenantId: event.tenantId,
            contractId: p.contractId,
            eventType: p.eventType,
            taskId: p.taskId,
            title: p.title,
            status: p.status,
            scheduledDate: p.scheduledDate,
          },
          sourceVersion: 1,
        })),
      ),
    );
  }

  /**
   * STATUS_CHANGED, DUE and OVERDUE all carry the new status; a transition's announcements come in dozens a
   * second, and those delivered together are saved in one statement.
   */
  @HandlesEventBatch(['CONTRACT_EVENT_STATUS_CHANGED', 'CONTRACT_EVENT_DUE', 'CONTRACT_EVENT_OVERDUE'])
  async onEventStatusChanged(items: EventBatchItem<ContractEventStatusChangedPayload>[], tx: Db): Promise<void> {
    await this.readModel.saveStatusChanges(
      tx,
      items.map(({ event }) => {
        const p = event.payload;
        return {
          event: {
            id: p.eventId,
            tenantId: event.tenantId,
            contractId: p.contractId,
            eventType: p.eventType,
            taskId: (p as { taskId?: string }).taskId ?? null,
          },
          status: p.newStatus,
          sourceVersion: event.aggregateVersion ?? 0,
        };
      }),
    );
  }

  @HandlesEvent('CONTRACT_EVENT_RESCHEDULED')
  async onEventRescheduled(event: Envelope<ContractEventRescheduledPayload>, tx: Db): Promise<void> {
    const p = event.payload;
    const e = { id: p.eventId, tenantId: event.tenantId, contractId: p.contractId, eventType: p.eventType, taskId: null };
    await this.readModel.saveEventDate(tx, e, p.newDate, event.aggregateVersion ?? 0);
  }
}
