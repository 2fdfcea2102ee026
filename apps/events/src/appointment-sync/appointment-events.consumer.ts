import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { Envelope } from '@app/shared/messaging/envelope';
import { HandlesEvent } from '@app/shared/messaging/handles-event.decorator';
import { AppointmentChange, AppointmentViewRepository } from './appointment-view.repository';

interface AppointmentPayload {
  appointmentId: string;
  contractId: string;
  ticketId?: string;
}

interface CreatedPayload extends AppointmentPayload {
  eventIds: string[];
  startAt: string;
  endAt: string;
  timezone: string;
  assigneeIds: string[];
  status: string;
  location?: { address?: string; lat?: number; lng?: number };
}

/** The status a visit is in after each of the tickets service's appointment events (the seeded codes). */
const STATUS_AFTER: Record<string, string> = {
  APPOINTMENT_CONFIRMED: 'confirmed',
  APPOINTMENT_CANCELED: 'cancelled',
  APPOINTMENT_COMPLETED: 'completed',
  APPOINTMENT_NO_SHOW: 'no_show',
};

/**
 * Keeps the appointment read model (`appointment_views`) from the tickets service's events: the cockpit's
 * next visits and the location the lifecycle events name. The events service never reads the tickets schema.
 * A later event that arrives before APPOINTMENT_CREATED fails and is retried (the retry queues), so it
 * applies once the visit is known.
 */
@Injectable()
export class AppointmentEventsConsumer {
  constructor(private readonly views: AppointmentViewRepository) {}

  @HandlesEvent('APPOINTMENT_CREATED')
  async onCreated(event: Envelope<CreatedPayload>, tx: Db): Promise<void> {
    const p = event.payload;
    await this.views.insert(
      tx,
      event.tenantId,
      {
        id: p.appointmentId,
        contractId: p.contractId,
        ticketId: p.ticketId ?? null,
        eventIds: p.eventIds,
        startsAt: new Date(p.startAt),
        endsAt: new Date(p.endAt),
        timezone: p.timezone,
        status: p.status,
        address: p.location?.address ?? null,
        lat: p.location?.lat ?? null,
        lng: p.location?.lng ?? null,
        assigneeIds: p.assigneeIds,
        locationConfirmedAt: null,
      },
      new Date(event.occurredAt),
    );
  }

  @HandlesEvent('APPOINTMENT_RESCHEDULED')
  onRescheduled(event: Envelope<AppointmentPayload & { newStartAt: string; newEndAt: string }>, tx: Db): Promise<void> {
    return this.apply(tx, event, { startsAt: new Date(event.payload.newStartAt), endsAt: new Date(event.payload.newEndAt) });
  }

  @HandlesEvent(['APPOINTMENT_CONFIRMED', 'APPOINTMENT_CANCELED', 'APPOINTMENT_COMPLETED', 'APPOINTMENT_NO_SHOW'])
  onStatus(event: Envelope<AppointmentPayload>, tx: Db): Promise<void> {
    return this.apply(tx, event, { status: STATUS_AFTER[event.type] });
  }

  @HandlesEvent('APPOINTMENT_ASSIGNED')
  onAssigned(event: Envelope<AppointmentPayload & { assigneeIds: string[] }>, tx: Db): Promise<void> {
    return this.apply(tx, event, { assigneeIds: event.payload.assigneeIds });
  }

  @HandlesEvent('LOCATION_CONFIRMED')
  onLocationConfirmed(
    event: Envelope<AppointmentPayload & { confirmedAt: string; address?: string; latitude?: number; longitude?: number }>,
    tx: Db,
  ): Promise<void> {
    const p = event.payload;
    return this.apply(tx, event, {
      locationConfirmedAt: new Date(p.confirmedAt),
      ...(p.address !== undefined ? { address: p.address } : {}),
      ...(p.latitude !== undefined ? { lat: p.latitude, lng: p.longitude ?? null } : {}),
    });
  }

  private async apply(tx: Db, event: Envelope<AppointmentPayload>, change: AppointmentChange): Promise<void> {
    const applied = await this.views.apply(tx, event.tenantId, event.payload.appointmentId, change, new Date(event.occurredAt));
    if (!applied) throw new Error(`appointment ${event.payload.appointmentId} is not known yet (${event.type} before APPOINTMENT_CREATED); retried`);
  }
}
