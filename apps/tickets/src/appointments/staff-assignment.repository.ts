import { Injectable } from '@nestjs/common';
import { transactionLock } from '@app/shared/db/advisory-lock';
import { Db, exec, many, maybeOne, one, selectList, snakeCase, sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';

/** Offers that are over: they no longer hold the technician's time nor block a new offer. */
export const RELEASED_ASSIGNMENT_STATUSES = ['declined', 'expired', 'withdrawn'];
/** Assignments whose technician is (or may become) on the visit. */
export const HOLDING_ASSIGNMENT_STATUSES = ['offered', 'accepted', 'dispatched', 'en_route', 'checked_in'];

/** A position as the staff events carry it (seed names); `accuracy` is absent when the fix did not report it. */
export interface GeoFixValue {
  latitude: number;
  longitude: number;
  accuracy?: number;
}

/** One technician's offer on one appointment, and what they did with it in the field. */
export interface StaffAssignmentRow {
  id: string;
  tenantId: string;
  appointmentId: string;
  userId: string;
  userName: string | null;
  role: string;
  status: string;
  offeredAt: Date;
  offeredBy: string;
  responseDeadline: Date;
  respondedAt: Date | null;
  declineReason: string | null;
  isAvailableForFuture: boolean | null;
  notes: string | null;
  dispatchedAt: Date | null;
  enRouteAt: Date | null;
  eta: Date | null;
  checkedInAt: Date | null;
  checkInLocation: GeoFixValue | null;
  /** How the check-in was established. */
  verificationMethod: string | null;
  /** Metres from the visit's location at check-in, and whether that was beyond the tenant's radius; null when not measurable. */
  checkInDistanceM: number | null;
  checkInOutsideRadius: boolean | null;
  checkedOutAt: Date | null;
  checkOutLocation: GeoFixValue | null;
  checkOutVerificationMethod: string | null;
  hoursWorked: number | null;
  feedback: string | null;
  noShowAt: Date | null;
  noShowReportedBy: string | null;
  consequenceLevel: string | null;
  version: number;
  updatedAt: Date;
}

/** What a field step may change on an assignment (the rest is the offer's). */
export type AssignmentStep = Partial<
  Omit<StaffAssignmentRow, 'id' | 'tenantId' | 'appointmentId' | 'userId' | 'offeredAt' | 'offeredBy' | 'version' | 'updatedAt'>
>;

/** The columns a field step writes, with their SQL types. */
const STEP_COLUMNS: Array<[keyof AssignmentStep, string]> = [
  ['userName', 'text'],
  ['role', 'text'],
  ['status', 'text'],
  ['responseDeadline', 'timestamptz'],
  ['respondedAt', 'timestamptz'],
  ['declineReason', 'text'],
  ['isAvailableForFuture', 'boolean'],
  ['notes', 'text'],
  ['dispatchedAt', 'timestamptz'],
  ['enRouteAt', 'timestamptz'],
  ['eta', 'timestamptz'],
  ['checkedInAt', 'timestamptz'],
  ['checkInLocation', 'jsonb'],
  ['verificationMethod', 'text'],
  ['checkInDistanceM', 'float8'],
  ['checkInOutsideRadius', 'boolean'],
  ['checkedOutAt', 'timestamptz'],
  ['checkOutLocation', 'jsonb'],
  ['checkOutVerificationMethod', 'text'],
  ['hoursWorked', 'numeric'],
  ['feedback', 'text'],
  ['noShowAt', 'timestamptz'],
  ['noShowReportedBy', 'uuid'],
  ['consequenceLevel', 'text'],
];
/** The seed's name; the column kept its first one. */
const COLUMN_OF: Partial<Record<keyof StaffAssignmentRow, string>> = { isAvailableForFuture: 'available_for_future' };
const columnOf = (field: keyof StaffAssignmentRow) => COLUMN_OF[field] ?? snakeCase(field);

const FIELDS = ['id', 'tenantId', 'appointmentId', 'userId', 'offeredAt', 'offeredBy', 'version', 'updatedAt', ...STEP_COLUMNS.map(([f]) => f)];
const COLUMNS = selectList('s', FIELDS, { isAvailableForFuture: 's.available_for_future', hoursWorked: 's.hours_worked::float8' });

const valueOf = (row: Partial<StaffAssignmentRow>, field: keyof StaffAssignmentRow, type: string) =>
  type === 'jsonb' ? sql.json(row[field]) : sql`${row[field] ?? null}::${sql.raw(type)}`;

/** Technicians' offers on appointments (`staff_assignments`) and what they did with them in the field. */
@Injectable()
export class StaffAssignmentRepository {
  /** An appointment's assignments in the order they were offered. */
  async ofAppointment(db: Db, tenantId: string, appointmentId: string): Promise<StaffAssignmentRow[]> {
    return (await this.ofAppointments(db, tenantId, [appointmentId])).get(appointmentId) ?? [];
  }

  async ofAppointments(db: Db, tenantId: string, appointmentIds: readonly string[]): Promise<Map<string, StaffAssignmentRow[]>> {
    const out = new Map<string, StaffAssignmentRow[]>();
    if (appointmentIds.length === 0) return out;
    const rows = await many<StaffAssignmentRow>(
      db,
      sql`SELECT ${COLUMNS} FROM staff_assignments s WHERE s.tenant_id = ${tenantId} AND s.appointment_id = ANY(${sql.array(appointmentIds, 'uuid')})
          ORDER BY s.offered_at, s.id`,
    );
    for (const r of rows) out.set(r.appointmentId, [...(out.get(r.appointmentId) ?? []), r]);
    return out;
  }

  /** The assignments of an appointment that are not over (declined, expired, withdrawn). */
  live(db: Db, tenantId: string, appointmentId: string): Promise<StaffAssignmentRow[]> {
    return many<StaffAssignmentRow>(
      db,
      sql`SELECT ${COLUMNS} FROM staff_assignments s WHERE s.tenant_id = ${tenantId} AND s.appointment_id = ${appointmentId}
            AND s.status <> ALL(${sql.array(RELEASED_ASSIGNMENT_STATUSES, 'text')}) ORDER BY s.offered_at, s.id`,
    );
  }

  /** The technician's current assignment on the appointment, locked; null when there is none. */
  lockLive(db: Db, tenantId: string, appointmentId: string, userId: string): Promise<StaffAssignmentRow | null> {
    return maybeOne<StaffAssignmentRow>(
      db,
      sql`SELECT ${COLUMNS} FROM staff_assignments s WHERE s.tenant_id = ${tenantId} AND s.appointment_id = ${appointmentId} AND s.user_id = ${userId}
            AND s.status <> ALL(${sql.array(RELEASED_ASSIGNMENT_STATUSES, 'text')}) FOR UPDATE`,
    );
  }

  async lockLiveOrFail(db: Db, tenantId: string, appointmentId: string, userId: string): Promise<StaffAssignmentRow> {
    const a = await this.lockLive(db, tenantId, appointmentId, userId);
    if (!a) throw DomainError.notFound(`assignment of user ${userId} on appointment`, appointmentId);
    return a;
  }

  /** A new offer; false when the technician already has a live one on the appointment (the partial unique index). */
  async insertOffer(db: Db, a: StaffAssignmentRow): Promise<boolean> {
    const inserted = await many(
      db,
      sql`INSERT INTO staff_assignments (id, tenant_id, appointment_id, user_id, offered_at, offered_by, version, updated_at, ${sql.raw(STEP_COLUMNS.map(([f]) => columnOf(f)).join(', '))})
          VALUES (${a.id}, ${a.tenantId}, ${a.appointmentId}, ${a.userId}, ${a.offeredAt}, ${a.offeredBy}, ${a.version}, ${a.updatedAt},
            ${sql.join(STEP_COLUMNS.map(([f, type]) => valueOf(a, f, type)))})
          ON CONFLICT (appointment_id, user_id) WHERE status NOT IN ('declined', 'expired', 'withdrawn') DO NOTHING
          RETURNING id`,
    );
    return inserted.length === 1;
  }

  /** Writes a field step's changes to a locked assignment; answers the new version. */
  async saveStep(db: Db, a: Pick<StaffAssignmentRow, 'tenantId' | 'id'>, step: AssignmentStep, at: Date): Promise<number> {
    const sets = STEP_COLUMNS.filter(([f]) => f in step).map(([f, type]) => sql`${sql.raw(columnOf(f))} = ${valueOf(step, f, type)}`);
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE staff_assignments SET ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = ${at}`])}
          WHERE tenant_id = ${a.tenantId} AND id = ${a.id} RETURNING version`,
    );
    return version;
  }

  /** Assignments of the appointment in one of `statuses` become withdrawn (a visit that is over holds no one's time). */
  async withdraw(db: Db, tenantId: string, appointmentId: string, statuses: readonly string[], at: Date): Promise<void> {
    await exec(
      db,
      sql`UPDATE staff_assignments SET status = 'withdrawn', version = version + 1, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND appointment_id = ${appointmentId} AND status = ANY(${sql.array(statuses, 'text')})`,
    );
  }

  /**
   * Serialises bookings of these technicians until the transaction ends (advisory locks taken in a stable
   * order, so two bookings of the same pair cannot deadlock).
   */
  async lockCalendars(db: Db, tenantId: string, userIds: readonly string[]): Promise<void> {
    for (const userId of [...new Set(userIds)].sort()) await transactionLock(db, `tickets-technician:${tenantId}:${userId}`);
  }

  /**
   * The first live assignment of these technicians on another open appointment that overlaps [startsAt,
   * endsAt): accepted and later steps, or an offer whose response deadline has not passed at `now`.
   */
  firstClash(
    db: Db,
    tenantId: string,
    userIds: readonly string[],
    slot: { startsAt: Date; endsAt: Date; exceptAppointmentId?: string; now: Date; closedStatuses: readonly string[] },
  ): Promise<{ appointmentId: string; userId: string; startsAt: Date; endsAt: Date } | null> {
    return maybeOne(
      db,
      sql`SELECT a.id AS "appointmentId", s.user_id AS "userId", a.starts_at AS "startsAt", a.ends_at AS "endsAt"
            FROM staff_assignments s JOIN appointments a ON a.id = s.appointment_id
           WHERE s.tenant_id = ${tenantId} AND s.user_id = ANY(${sql.array(userIds, 'uuid')})
             AND (${slot.exceptAppointmentId ?? null}::uuid IS NULL OR a.id <> ${slot.exceptAppointmentId ?? null}::uuid)
             AND a.status <> ALL(${sql.array(slot.closedStatuses, 'text')})
             AND (s.status IN ('accepted', 'dispatched', 'en_route', 'checked_in') OR (s.status = 'offered' AND s.response_deadline > ${slot.now}))
             AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(${slot.startsAt}::timestamptz, ${slot.endsAt}::timestamptz, '[)')
           ORDER BY a.starts_at LIMIT 1`,
    );
  }
}
