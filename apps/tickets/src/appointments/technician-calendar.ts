import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';

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
  async assertFree(
    tx: EntityManager,
    tenantId: string,
    userIds: string[],
    slot: { startsAt: Date; endsAt: Date; exceptAppointmentId?: string; now: Date },
  ): Promise<void> {
    const users = [...new Set(userIds)].sort();
    for (const userId of users) {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`tickets:technician:${tenantId}:${userId}`]);
    }
    if (users.length === 0) return;
    const clash: Array<{ appointment_id: string; user_id: string; starts_at: Date; ends_at: Date }> = await tx.query(
      `SELECT a.id AS appointment_id, s.user_id, a.starts_at, a.ends_at
         FROM staff_assignments s JOIN appointments a ON a.id = s.appointment_id
        WHERE s.tenant_id = $1 AND s.user_id = ANY($2::uuid[])
          AND ($3::uuid IS NULL OR a.id <> $3)
          AND a.status <> ALL($4::text[])
          AND (s.status IN ('accepted', 'dispatched', 'en_route', 'checked_in') OR (s.status = 'offered' AND s.response_deadline > $7))
          AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange($5, $6, '[)')
        ORDER BY a.starts_at LIMIT 1`,
      [tenantId, users, slot.exceptAppointmentId ?? null, CLOSED_APPOINTMENT_STATUSES, slot.startsAt, slot.endsAt, slot.now],
    );
    if (clash.length > 0) {
      const c = clash[0];
      throw new DomainError(
        ErrorCode.CONFLICT,
        `technician ${c.user_id} is already booked on appointment ${c.appointment_id} from ${new Date(c.starts_at).toISOString()} to ${new Date(c.ends_at).toISOString()}`,
        { reason: 'DOUBLE_BOOKING', userId: c.user_id, clashingAppointmentId: c.appointment_id, startsAt: new Date(c.starts_at).toISOString(), endsAt: new Date(c.ends_at).toISOString() },
      );
    }
  }
}
