import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { StaffAssignmentRepository } from './staff-assignment.repository';

/** Appointment statuses after which a visit no longer occupies anyone's time. */
export const CLOSED_APPOINTMENT_STATUSES = ['completed', 'cancelled', 'no_show'];

/**
 * Keeps a technician from being booked twice. Each technician's calendar is serialised with a transaction
 * advisory lock (taken in a stable order, so two bookings of the same pair cannot deadlock), then an
 * overlap query over live assignments of open appointments. A Postgres exclusion constraint would need
 * btree_gist, which the service role cannot create; the locked check gives the same guarantee.
 * An offer holds the slot until it is answered or its deadline passes.
 */
@Injectable()
export class TechnicianCalendar {
  constructor(private readonly assignments: StaffAssignmentRepository) {}

  async assertFree(
    tx: Db,
    tenantId: string,
    userIds: string[],
    slot: { startsAt: Date; endsAt: Date; exceptAppointmentId?: string; now: Date },
  ): Promise<void> {
    if (userIds.length === 0) return;
    await this.assignments.lockCalendars(tx, tenantId, userIds);
    const c = await this.assignments.firstClash(tx, tenantId, [...new Set(userIds)], { ...slot, closedStatuses: CLOSED_APPOINTMENT_STATUSES });
    if (c) {
      const startsAt = new Date(c.startsAt).toISOString();
      const endsAt = new Date(c.endsAt).toISOString();
      throw new DomainError(ErrorCode.CONFLICT, `technician ${c.userId} is already booked on appointment ${c.appointmentId} from ${startsAt} to ${endsAt}`, {
        reason: 'DOUBLE_BOOKING',
        userId: c.userId,
        clashingAppointmentId: c.appointmentId,
        startsAt,
        endsAt,
      });
    }
  }
}
