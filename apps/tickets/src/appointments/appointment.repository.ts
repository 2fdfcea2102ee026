import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '@app/shared/context/actor';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, one, selectList, Sql, sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { RELEASED_ASSIGNMENT_STATUSES } from './staff-assignment.repository';

export interface AppointmentLocation {
  address?: string;
  lat?: number;
  lng?: number;
}

/** What a location confirmation adds to the address and coordinates. */
export interface LocationDetails {
  contactPerson?: { name: string; phone?: string; email?: string };
  specialInstructions?: string;
  accessDetails?: string;
}

export interface AppointmentRow {
  id: string;
  tenantId: string;
  contractId: string;
  ticketId: string | null;
  eventIds: string[];
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  location: AppointmentLocation | null;
  /** Set by LOCATION_CONFIRMED: when and by whom, and what came with it. */
  locationConfirmedAt: Date | null;
  locationConfirmedBy: string | null;
  locationDetails: LocationDetails | null;
  status: string;
  statusChangedAt: Date;
  notes: string | null;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ListedAppointment = AppointmentRow & { cursorAt: string };

/** Every reschedule keeps the slot it replaced. */
export interface RescheduleRow {
  id: string;
  previousStartsAt: Date;
  previousEndsAt: Date;
  newStartsAt: Date;
  newEndsAt: Date;
  reason: string;
  actor: { type: string; id: string; name: string };
  at: Date;
}

const FIELDS = [
  'id',
  'tenantId',
  'contractId',
  'ticketId',
  'eventIds',
  'startsAt',
  'endsAt',
  'timezone',
  'location',
  'locationConfirmedAt',
  'locationConfirmedBy',
  'locationDetails',
  'status',
  'statusChangedAt',
  'notes',
  'createdBy',
  'version',
  'createdAt',
  'updatedAt',
] as const;
const COLUMNS = selectList('a', FIELDS);

export interface AppointmentFilter {
  from?: Date;
  to?: Date;
  status?: string;
  contractId?: string;
  ticketId?: string;
  /** Appointments on which the user holds an assignment that is not over (declined, expired, withdrawn). */
  assigneeId?: string;
  after?: { at: string; id: string };
  limit: number;
}

/** Visits (`appointments`) and the slots they left (`appointment_reschedules`). */
@Injectable()
export class AppointmentRepository {
  async lockOrFail(db: Db, tenantId: string, id: string): Promise<AppointmentRow> {
    const a = await maybeOne<AppointmentRow>(db, sql`SELECT ${COLUMNS} FROM appointments a WHERE a.tenant_id = ${tenantId} AND a.id = ${id} FOR UPDATE`);
    if (!a) throw DomainError.notFound('appointment', id);
    return a;
  }

  async findOrFail(db: Db, tenantId: string, id: string): Promise<AppointmentRow> {
    const a = await maybeOne<AppointmentRow>(db, sql`SELECT ${COLUMNS} FROM appointments a WHERE a.tenant_id = ${tenantId} AND a.id = ${id}`);
    if (!a) throw DomainError.notFound('appointment', id);
    return a;
  }

  /** Appointments overlapping [from, to), in start order from `after` on: `limit + 1` rows for `pageOf`. */
  list(db: Db, tenantId: string, f: AppointmentFilter): Promise<ListedAppointment[]> {
    const where = [
      sql`a.tenant_id = ${tenantId}`,
      f.from ? sql`a.ends_at > ${f.from}` : null,
      f.to ? sql`a.starts_at < ${f.to}` : null,
      f.status ? sql`a.status = ${f.status}` : null,
      f.contractId ? sql`a.contract_id = ${f.contractId}` : null,
      f.ticketId ? sql`a.ticket_id = ${f.ticketId}` : null,
      f.assigneeId
        ? sql`EXISTS (SELECT 1 FROM staff_assignments s WHERE s.appointment_id = a.id AND s.user_id = ${f.assigneeId}
                AND s.status <> ALL(${sql.array(RELEASED_ASSIGNMENT_STATUSES, 'text')}))`
        : null,
      f.after ? sql`(a.starts_at, a.id) > (${f.after.at}::timestamptz, ${f.after.id}::uuid)` : null,
    ].filter((c): c is Sql => c !== null);
    return many<ListedAppointment>(
      db,
      sql`SELECT ${COLUMNS}, ${sql.raw(cursorTime('a.starts_at'))} AS "cursorAt" FROM appointments a
          WHERE ${sql.join(where, ' AND ')} ORDER BY a.starts_at, a.id LIMIT ${f.limit}`,
    );
  }

  async insert(db: Db, a: AppointmentRow): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO appointments (id, tenant_id, contract_id, ticket_id, event_ids, starts_at, ends_at, timezone, location, status, status_changed_at,
            notes, created_by, version, created_at, updated_at)
          VALUES (${a.id}, ${a.tenantId}, ${a.contractId}, ${a.ticketId}::uuid, ${sql.array(a.eventIds, 'uuid')}, ${a.startsAt}, ${a.endsAt}, ${a.timezone},
            ${sql.json(a.location)}, ${a.status}, ${a.statusChangedAt}, ${a.notes}, ${a.createdBy}, ${a.version}, ${a.createdAt}, ${a.updatedAt})`,
    );
  }

  /** A status move of a locked appointment, with its history INSERT in the same statement; answers the new version. */
  async setStatus(db: Db, a: Pick<AppointmentRow, 'tenantId' | 'id' | 'status'> & { at: Date }, history?: Sql): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`${history ? sql`WITH history AS (${history}) ` : sql.empty}UPDATE appointments
          SET status = ${a.status}, status_changed_at = ${a.at}, version = version + 1, updated_at = ${a.at}
          WHERE tenant_id = ${a.tenantId} AND id = ${a.id} RETURNING version`,
    );
    return version;
  }

  /** The confirmed location of a locked appointment; answers the new version. */
  async confirmLocation(
    db: Db,
    a: Pick<AppointmentRow, 'tenantId' | 'id'>,
    c: { location: AppointmentLocation; details: LocationDetails; by: string; at: Date },
  ): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE appointments SET location = ${sql.json(c.location)}, location_confirmed_at = ${c.at}, location_confirmed_by = ${c.by},
            location_details = ${sql.json(c.details)}, version = version + 1, updated_at = ${c.at}
          WHERE tenant_id = ${a.tenantId} AND id = ${a.id} RETURNING version`,
    );
    return version;
  }

  /**
   * A new slot of a locked appointment. `newVersion`: whether this is the change's only write (else the
   * status move that follows gives the version).
   */
  async setSlot(db: Db, a: Pick<AppointmentRow, 'tenantId' | 'id' | 'startsAt' | 'endsAt'>, at: Date, newVersion: boolean): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE appointments SET starts_at = ${a.startsAt}, ends_at = ${a.endsAt}, updated_at = ${at}${newVersion ? sql`, version = version + 1` : sql.empty}
          WHERE tenant_id = ${a.tenantId} AND id = ${a.id} RETURNING version`,
    );
    return version;
  }

  async addReschedule(db: Db, tenantId: string, appointmentId: string, r: Omit<RescheduleRow, 'id' | 'actor'> & { actor: Actor }): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO appointment_reschedules (id, tenant_id, appointment_id, previous_starts_at, previous_ends_at, new_starts_at, new_ends_at, reason, actor, at)
          VALUES (${randomUUID()}, ${tenantId}, ${appointmentId}, ${r.previousStartsAt}, ${r.previousEndsAt}, ${r.newStartsAt}, ${r.newEndsAt}, ${r.reason},
            ${sql.json({ type: r.actor.type, id: r.actor.id, name: r.actor.name })}, ${r.at})`,
    );
  }

  reschedules(db: Db, tenantId: string, appointmentId: string): Promise<RescheduleRow[]> {
    return many<RescheduleRow>(
      db,
      sql`SELECT ${selectList('r', ['id', 'previousStartsAt', 'previousEndsAt', 'newStartsAt', 'newEndsAt', 'reason', 'actor', 'at'])}
          FROM appointment_reschedules r WHERE r.tenant_id = ${tenantId} AND r.appointment_id = ${appointmentId} ORDER BY r.at`,
    );
  }
}
