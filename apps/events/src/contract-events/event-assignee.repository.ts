import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface Assignee {
  userId: string;
  name?: string | null;
  role: string;
}

/** A select-list expression: the assignees of the event aliased `e`, as a JSON array in `ofEvents` order. */
export const ASSIGNEES_JSON = `(SELECT coalesce(json_agg(json_build_object('userId', a.user_id, 'name', a.name, 'role', a.role) ORDER BY a.created_at, a.user_id), '[]')
  FROM event_assignees a WHERE a.tenant_id = e.tenant_id AND a.event_id = e.id)`;

@Injectable()
export class EventAssigneeRepository {
  async ofEvents(m: EntityManager, tenantId: string, eventIds: string[]): Promise<Map<string, Assignee[]>> {
    const out = new Map<string, Assignee[]>();
    if (eventIds.length === 0) return out;
    const rows: any[] = await m.query(
      `SELECT event_id, user_id AS "userId", name, role FROM event_assignees WHERE tenant_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY created_at, user_id`,
      [tenantId, eventIds],
    );
    for (const r of rows) {
      const list = out.get(r.event_id) ?? [];
      list.push({ userId: r.userId, name: r.name, role: r.role });
      out.set(r.event_id, list);
    }
    return out;
  }

  async replace(m: EntityManager, tenantId: string, eventId: string, assignees: Assignee[], at: Date): Promise<void> {
    await m.query(`DELETE FROM event_assignees WHERE tenant_id = $1 AND event_id = $2`, [tenantId, eventId]);
    if (assignees.length === 0) return;
    await m.query(
      `INSERT INTO event_assignees (tenant_id, event_id, user_id, name, role, created_at)
       SELECT $1, $2, u.user_id, u.name, u.role, $6 FROM unnest($3::uuid[], $4::text[], $5::text[]) AS u(user_id, name, role)
       ON CONFLICT DO NOTHING`,
      [tenantId, eventId, assignees.map((a) => a.userId), assignees.map((a) => a.name ?? null), assignees.map((a) => a.role), at.toISOString()],
    );
  }
}
