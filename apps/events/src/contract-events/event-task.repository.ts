import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../common/sql';

export interface EventTaskRow {
  id: string;
  eventId: string;
  title: string;
  dueDate: string | null;
  required: boolean;
  done: boolean;
  doneAt: Date | null;
  isAutoTriggered: boolean;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A sub-task as TASKS_JSON gives it. */
export type EventTaskJson = Omit<EventTaskRow, 'doneAt' | 'createdAt' | 'updatedAt'> & { doneAt: string | null; createdAt: string; updatedAt: string };

const COLUMNS = `id, event_id AS "eventId", title, due_date::text AS "dueDate", required, done, done_at AS "doneAt",
  is_auto_triggered AS "isAutoTriggered", source, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A select-list expression: the sub-tasks of the event aliased `e`, as a JSON array in `ofEvent` order (timestamps as ISO text). */
export const TASKS_JSON = `(SELECT coalesce(json_agg(json_build_object('id', t.id, 'eventId', t.event_id, 'title', t.title, 'dueDate', t.due_date::text,
    'required', t.required, 'done', t.done, 'doneAt', t.done_at, 'isAutoTriggered', t.is_auto_triggered, 'source', t.source,
    'createdAt', t.created_at, 'updatedAt', t.updated_at) ORDER BY t.created_at, t.id), '[]')
  FROM event_tasks t WHERE t.tenant_id = e.tenant_id AND t.event_id = e.id)`;

/** Sub-tasks of an event: billing todos, service checklists (plan, cycle 3). */
@Injectable()
export class EventTaskRepository {
  async ofEvent(m: EntityManager, tenantId: string, eventId: string): Promise<EventTaskRow[]> {
    return m.query(`SELECT ${COLUMNS} FROM event_tasks WHERE tenant_id = $1 AND event_id = $2 ORDER BY created_at, id`, [tenantId, eventId]);
  }

  async find(m: EntityManager, tenantId: string, eventId: string, id: string): Promise<EventTaskRow | null> {
    const rows = await m.query(`SELECT ${COLUMNS} FROM event_tasks WHERE tenant_id = $1 AND event_id = $2 AND id = $3 FOR UPDATE`, [tenantId, eventId, id]);
    return rows[0] ?? null;
  }

  async insert(m: EntityManager, tenantId: string, t: Omit<EventTaskRow, 'createdAt' | 'updatedAt'>, at: Date): Promise<EventTaskRow> {
    const rows = await m.query(
      `INSERT INTO event_tasks (id, tenant_id, event_id, title, due_date, required, done, done_at, is_auto_triggered, source, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${COLUMNS}`,
      [t.id, tenantId, t.eventId, t.title, t.dueDate, t.required, t.done, t.doneAt?.toISOString() ?? null, t.isAutoTriggered, t.source, at.toISOString()],
    );
    return rows[0];
  }

  async update(m: EntityManager, tenantId: string, t: EventTaskRow, at: Date): Promise<EventTaskRow> {
    const rows = await m.query(
      `UPDATE event_tasks SET title = $3, due_date = $4, required = $5, done = $6, done_at = $7, updated_at = $8
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [tenantId, t.id, t.title, t.dueDate, t.required, t.done, t.doneAt?.toISOString() ?? null, at.toISOString()],
    );
    return rowsOf<EventTaskRow>(rows)[0];
  }

  async openRequired(m: EntityManager, tenantId: string, eventId: string): Promise<Array<{ id: string; title: string }>> {
    return m.query(`SELECT id, title FROM event_tasks WHERE tenant_id = $1 AND event_id = $2 AND required AND NOT done ORDER BY created_at`, [
      tenantId, eventId,
    ]);
  }
}
