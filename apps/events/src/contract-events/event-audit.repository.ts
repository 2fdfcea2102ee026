import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EventAuditEntryView } from '@app/shared/api/events/contract-events.views';
import { Actor, ChangeSource } from '@app/shared/context/actor';
import { SqlPart } from '../common/sql';

export interface AuditEntry {
  tenantId: string;
  eventId: string;
  /** status | scheduled_date | assignees | notes | task | amount_settled | created */
  field: string;
  from: string | null;
  to: string | null;
  actor: Actor;
  source: ChangeSource;
  reason?: string | null;
  /** Seconds in the previous status (status changes only). */
  timeInPreviousStatus?: number | null;
  at: Date;
}

/** Append-only history of every change to a contract event, one row per changed field. */
@Injectable()
export class EventAuditRepository {
  async append(m: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { sql, params } = this.insertOf(entries, 1);
    await m.query(sql, params);
  }

  /** The INSERT of `entries` with parameters numbered from `$first`, for a caller that runs it inside its own statement. */
  insertOf(entries: AuditEntry[], first: number): SqlPart {
    const col = <T>(f: (e: AuditEntry) => T) => entries.map(f);
    const types = ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'uuid', 'text', 'text', 'text', 'int', 'timestamptz'];
    return {
      sql: `INSERT INTO event_audit (tenant_id, event_id, field, from_value, to_value, actor_type, actor_id, actor_name, source, reason, time_in_previous_status, at)
       SELECT * FROM unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')})`,
      params: [
        col((e) => e.tenantId), col((e) => e.eventId), col((e) => e.field), col((e) => e.from), col((e) => e.to),
        col((e) => e.actor.type), col((e) => e.actor.id), col((e) => e.actor.name), col((e) => e.source),
        col((e) => e.reason ?? null), col((e) => e.timeInPreviousStatus ?? null), col((e) => e.at.toISOString()),
      ],
    };
  }

  async ofEvent(m: EntityManager, tenantId: string, eventId: string, afterId: number | null, limit: number): Promise<EventAuditEntryView[]> {
    const rows: any[] = await m.query(
      `SELECT id::text, field, from_value AS "from", to_value AS "to", actor_type, actor_id, actor_name, source, reason,
              time_in_previous_status AS "timeInPreviousStatus", at
       FROM event_audit WHERE tenant_id = $1 AND event_id = $2 AND ($3::bigint IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [tenantId, eventId, afterId, limit],
    );
    return rows.map((r): EventAuditEntryView => ({
      id: r.id,
      field: r.field,
      from: r.from,
      to: r.to,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      source: r.source,
      reason: r.reason,
      timeInPreviousStatus: r.timeInPreviousStatus,
      at: (r.at as Date).toISOString(),
    }));
  }
}
