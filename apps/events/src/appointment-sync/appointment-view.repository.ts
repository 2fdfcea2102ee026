import { Injectable } from '@nestjs/common';
import { Db, exec, many, maybeOne, selectList, sql } from '@app/shared/db/sql';

/** A visit as the events service knows it from the tickets service's events. */
export interface AppointmentViewRow {
  id: string;
  contractId: string;
  ticketId: string | null;
  eventIds: string[];
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  status: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  assigneeIds: string[];
  locationConfirmedAt: Date | null;
}

/** Visits that are over: the cockpit does not list them as upcoming. */
export const CLOSED_VISIT_STATUSES = ['completed', 'cancelled', 'canceled', 'no_show'];

/** Where a visit takes place: what the lifecycle events carry of it (`visitLocationRef`). */
export type VisitPlace = Pick<AppointmentViewRow, 'id' | 'address' | 'lat' | 'lng'>;

/** The open visits of event `eventId` (an expression), next first. */
function openVisitsOf(tenantId: unknown, eventId: unknown) {
  return sql`FROM appointment_views v
    WHERE v.tenant_id = ${tenantId} AND v.event_ids @> ARRAY[${eventId}::uuid] AND v.status <> ALL(${sql.array(CLOSED_VISIT_STATUSES, 'text')})
    ORDER BY v.starts_at, v.id LIMIT 1`;
}

/**
 * A select-list expression: the place of the next open visit of the event aliased `e`, as JSON (null when
 * it has none), for a statement on contract events to read with the event (`nextOfEvent`, without its round trip).
 */
export const NEXT_VISIT_PLACE_JSON = sql`(SELECT json_build_object('id', v.id, 'address', v.address, 'lat', v.lat, 'lng', v.lng) ${openVisitsOf(sql.raw('e.tenant_id'), sql.raw('e.id'))})`;

const COLUMNS = selectList('v', [
  'id',
  'contractId',
  'ticketId',
  'eventIds',
  'startsAt',
  'endsAt',
  'timezone',
  'status',
  'address',
  'lat',
  'lng',
  'assigneeIds',
  'locationConfirmedAt',
]);

export type AppointmentChange = Partial<
  Pick<AppointmentViewRow, 'startsAt' | 'endsAt' | 'status' | 'assigneeIds' | 'address' | 'lat' | 'lng' | 'locationConfirmedAt'>
>;

/**
 * The appointment read model (`appointment_views`). A message older than the last one applied to a visit
 * changes nothing (`last_event_at`), so a redelivered or overtaken message cannot undo a newer state.
 */
@Injectable()
export class AppointmentViewRepository {
  /** The visit as APPOINTMENT_CREATED describes it; a second delivery changes nothing. */
  async insert(db: Db, tenantId: string, v: AppointmentViewRow, at: Date): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO appointment_views (tenant_id, id, contract_id, ticket_id, event_ids, starts_at, ends_at, timezone, status, address, lat, lng,
            assignee_ids, location_confirmed_at, last_event_at)
          VALUES (${tenantId}, ${v.id}, ${v.contractId}, ${v.ticketId}::uuid, ${sql.array(v.eventIds, 'uuid')}, ${v.startsAt}, ${v.endsAt}, ${v.timezone},
            ${v.status}, ${v.address}, ${v.lat}::float8, ${v.lng}::float8, ${sql.array(v.assigneeIds, 'uuid')}, ${v.locationConfirmedAt}::timestamptz, ${at})
          ON CONFLICT (tenant_id, id) DO NOTHING`,
    );
  }

  /** Applies a later message to a known visit; false when the visit is not known yet (its creation has not arrived). */
  async apply(db: Db, tenantId: string, id: string, change: AppointmentChange, at: Date): Promise<boolean> {
    const known = await maybeOne<{ lastEventAt: Date }>(
      db,
      sql`SELECT last_event_at AS "lastEventAt" FROM appointment_views WHERE tenant_id = ${tenantId} AND id = ${id} FOR UPDATE`,
    );
    if (!known) return false;
    if (known.lastEventAt.getTime() > at.getTime()) return true;
    const sets = [
      change.startsAt ? sql`starts_at = ${change.startsAt}` : null,
      change.endsAt ? sql`ends_at = ${change.endsAt}` : null,
      change.status ? sql`status = ${change.status}` : null,
      change.assigneeIds ? sql`assignee_ids = ${sql.array(change.assigneeIds, 'uuid')}` : null,
      change.address !== undefined ? sql`address = ${change.address}` : null,
      change.lat !== undefined ? sql`lat = ${change.lat}::float8` : null,
      change.lng !== undefined ? sql`lng = ${change.lng}::float8` : null,
      change.locationConfirmedAt ? sql`location_confirmed_at = ${change.locationConfirmedAt}` : null,
      sql`last_event_at = ${at}`,
    ].filter((x) => x !== null);
    await exec(db, sql`UPDATE appointment_views SET ${sql.join(sets)} WHERE tenant_id = ${tenantId} AND id = ${id}`);
    return true;
  }

  /** The tenant's next open visits (not over, not ended before `now`), soonest first. */
  upcoming(db: Db, tenantId: string, now: Date, limit: number): Promise<AppointmentViewRow[]> {
    return many<AppointmentViewRow>(
      db,
      sql`SELECT ${COLUMNS} FROM appointment_views v
          WHERE v.tenant_id = ${tenantId} AND v.ends_at >= ${now} AND v.status <> ALL(${sql.array(CLOSED_VISIT_STATUSES, 'text')})
          ORDER BY v.starts_at, v.id LIMIT ${limit}`,
    );
  }

  /** The next open visit of a contract event (the one whose location the event's lifecycle events name). */
  nextOfEvent(db: Db, tenantId: string, eventId: string): Promise<AppointmentViewRow | null> {
    return maybeOne<AppointmentViewRow>(db, sql`SELECT ${COLUMNS} ${openVisitsOf(tenantId, eventId)}`);
  }

  /** Whether a visit of the event has a confirmed location. */
  async hasConfirmedLocation(db: Db, tenantId: string, eventId: string): Promise<boolean> {
    const row = await maybeOne(
      db,
      sql`SELECT 1 AS one FROM appointment_views v
          WHERE v.tenant_id = ${tenantId} AND v.event_ids @> ARRAY[${eventId}::uuid] AND v.location_confirmed_at IS NOT NULL LIMIT 1`,
    );
    return row !== null;
  }
}

/** The location of a visit as the lifecycle events carry it (seed `location { id, name, address }`). */
export function visitLocationRef(v: VisitPlace | null): { id: string; name: string; address?: string } | undefined {
  if (!v || (!v.address && v.lat === null)) return undefined;
  const name = v.address ?? `${v.lat},${v.lng}`;
  return { id: v.id, name, ...(v.address ? { address: v.address } : {}) };
}
