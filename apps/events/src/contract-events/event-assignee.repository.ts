import { Injectable } from '@nestjs/common';
import { Db, exec, many, sql } from '@app/shared/db/sql';

export interface Assignee {
  userId: string;
  name?: string | null;
  role: string;
}

/** A select-list expression: the assignees of the event aliased `e`, as a JSON array in `ofEvents` order. */
export const ASSIGNEES_JSON =
  sql.raw(`(SELECT coalesce(json_agg(json_build_object('userId', a.user_id, 'name', a.name, 'role', a.role) ORDER BY a.created_at, a.user_id), '[]')
  FROM event_assignees a WHERE a.tenant_id = e.tenant_id AND a.event_id = e.id)`);

@Injectable()
export class EventAssigneeRepository {
  async ofEvents(db: Db, tenantId: string, eventIds: string[]): Promise<Map<string, Assignee[]>> {
    const out = new Map<string, Assignee[]>();
    if (eventIds.length === 0) return out;
    const rows = await many<Assignee & { eventId: string }>(
      db,
      sql`SELECT event_id AS "eventId", user_id AS "userId", name, role FROM event_assignees
          WHERE tenant_id = ${tenantId} AND event_id = ANY(${sql.array(eventIds, 'uuid')}) ORDER BY created_at, user_id`,
    );
    for (const r of rows) {
      const list = out.get(r.eventId) ?? [];
      list.push({ userId: r.userId, name: r.name, role: r.role });
      out.set(r.eventId, list);
    }
    return out;
  }

  async replace(db: Db, tenantId: string, eventId: string, assignees: Assignee[], at: Date): Promise<void> {
    await exec(db, sql`DELETE FROM event_assignees WHERE tenant_id = ${tenantId} AND event_id = ${eventId}`);
    if (assignees.length === 0) return;
    await exec(
      db,
      sql`INSERT INTO event_assignees (tenant_id, event_id, user_id, name, role, created_at)
       SELECT ${tenantId}, ${eventId}, u.user_id, u.name, u.role, ${at}
       FROM unnest(${sql.array(
         assignees.map((a) => a.userId),
         'uuid',
       )}, ${sql.array(
         assignees.map((a) => a.name ?? null),
         'text',
       )},
         ${sql.array(
           assignees.map((a) => a.role),
           'text',
         )}) AS u(user_id, name, role)
       ON CONFLICT DO NOTHING`,
    );
  }
}
