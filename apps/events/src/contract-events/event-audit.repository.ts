import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, ChangeSource } from '@app/shared/context/actor';

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
    const col = <T>(f: (e: AuditEntry) => T) => entries.map(f);
    await m.query(
      `INSERT INTO event_audit (tenant_id, event_id, field, from_value, to_value, actor_type, actor_id, actor_name, source, reason, time_in_previous_status, at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::int[], $12::timestamptz[])`,
      [
        col((e) => e.tenantId), col((e) => e.eventId), col((e) => e.field), col((e) => e.from), col((e) => e.to),
        col((e) => e.actor.type), col((e) => e.actor.id), col((e) => e.actor.name), col((e) => e.source),
        col((e) => e.reason ?? null), col((e) => e.timeInPreviousStatus ?? null), col((e) => e.at.toISOString()),
      ],
    );
  }

  async ofEvent(m: EntityManager, tenantId: string, eventId: string, afterId: number | null, limit: number) {
    const rows: any[] = await m.query(
      `SELECT id::text, field, from_value AS "from", to_value AS "to", actor_type, actor_id, actor_name, source, reason,
              time_in_previous_status AS "timeInPreviousStatus", at
       FROM event_audit WHERE tenant_id = $1 AND event_id = $2 AND ($3::bigint IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [tenantId, eventId, afterId, limit],
    );
    return rows.map((r) => ({
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
