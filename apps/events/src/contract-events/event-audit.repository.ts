import { Injectable } from '@nestjs/common';
import type { EventAuditEntryView } from '@app/shared/api/events/contract-events.views';
import { Actor, ChangeSource } from '@app/shared/context/actor';
import { Db, exec, many, sql } from '@app/shared/db/sql';
import { HistoryTable } from '@app/shared/status-machine/status-history';

/** Where the status kit writes the history of contract events (the shape every service shares). */
export const EVENT_HISTORY: HistoryTable = { table: 'status_history', subjectColumn: 'event_id' };

/** A change to a field other than the status (those are status history: EVENT_HISTORY). */
export interface AuditEntry {
  tenantId: string;
  eventId: string;
  /** scheduled_date | assignees | notes | task | amount_settled */
  field: string;
  from: string | null;
  to: string | null;
  actor: Actor;
  source: ChangeSource;
  reason?: string | null;
  at: Date;
}

interface AuditRow {
  id: string;
  field: string;
  from: string | null;
  to: string | null;
  actorType: Actor['type'];
  actorId: string;
  actorName: string;
  source: string;
  reason: string | null;
  secondsInPrevious: number | null;
  at: Date;
}

/**
 * The append-only history of a contract event: field changes here (`event_audit`), status changes in
 * `status_history` (written by the status kit). Both take their ids from one sequence, so the audit answer
 * merges them in order and its cursor is the id.
 */
@Injectable()
export class EventAuditRepository {
  async append(db: Db, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const col = <T>(f: (e: AuditEntry) => T, type: string) => sql.array(entries.map(f), type);
    await exec(
      db,
      sql`INSERT INTO event_audit (tenant_id, event_id, field, from_value, to_value, actor_type, actor_id, actor_name, source, reason, at)
       SELECT * FROM unnest(${sql.join([
         col((e) => e.tenantId, 'uuid'),
         col((e) => e.eventId, 'uuid'),
         col((e) => e.field, 'text'),
         col((e) => e.from, 'text'),
         col((e) => e.to, 'text'),
         col((e) => e.actor.type, 'text'),
         col((e) => e.actor.id, 'uuid'),
         col((e) => e.actor.name, 'text'),
         col((e) => e.source, 'text'),
         col((e) => e.reason ?? null, 'text'),
         col((e) => e.at, 'timestamptz'),
       ])})`,
    );
  }

  /** Every change of an event after `afterId`, oldest first; `timeInPreviousStatus` is the API's name for seconds_in_previous. */
  async ofEvent(db: Db, tenantId: string, eventId: string, afterId: number | null, limit: number): Promise<EventAuditEntryView[]> {
    const after = sql`(${afterId}::bigint IS NULL OR id > ${afterId})`;
    const rows = await many<AuditRow>(
      db,
      sql`(SELECT id, field, from_value AS "from", to_value AS "to", actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName", source,
                  reason, NULL::int AS "secondsInPrevious", at
           FROM event_audit WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND ${after} ORDER BY id LIMIT ${limit})
          UNION ALL
          (SELECT id, 'status', from_status, to_status, actor_type, actor_id, actor_name, source, reason, seconds_in_previous, at
           FROM status_history WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND ${after} ORDER BY id LIMIT ${limit})
          ORDER BY id LIMIT ${limit}`,
    );
    return rows.map((r): EventAuditEntryView => ({
      id: r.id,
      field: r.field,
      from: r.from,
      to: r.to,
      actor: { type: r.actorType, id: r.actorId, name: r.actorName },
      source: r.source,
      reason: r.reason,
      timeInPreviousStatus: r.secondsInPrevious,
      at: r.at.toISOString(),
    }));
  }
}
