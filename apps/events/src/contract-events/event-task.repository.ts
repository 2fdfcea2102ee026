import { Injectable } from '@nestjs/common';
import { Db, many, maybeOne, one, selectList, sql } from '@app/shared/db/sql';

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
  /** `task` (a checklist item) or `activity` (carried out by someone: activities/). */
  kind: 'task' | 'activity';
}

/** A sub-task as TASKS_JSON gives it. */
export type EventTaskJson = Omit<EventTaskRow, 'doneAt' | 'createdAt' | 'updatedAt' | 'kind'> & { doneAt: string | null; createdAt: string; updatedAt: string };

const COLUMNS = selectList(
  null,
  ['id', 'eventId', 'title', 'dueDate', 'required', 'done', 'doneAt', 'isAutoTriggered', 'source', 'createdAt', 'updatedAt', 'kind'],
  {
    dueDate: 'due_date::text',
  },
);

/** A select-list expression: the sub-tasks of the event aliased `e`, as a JSON array in `ofEvent` order (timestamps as ISO text). */
export const TASKS_JSON = sql.raw(`(SELECT coalesce(json_agg(json_build_object('id', t.id, 'eventId', t.event_id, 'title', t.title, 'dueDate', t.due_date::text,
    'required', t.required, 'done', t.done, 'doneAt', t.done_at, 'isAutoTriggered', t.is_auto_triggered, 'source', t.source,
    'createdAt', t.created_at, 'updatedAt', t.updated_at) ORDER BY t.created_at, t.id), '[]')
  FROM event_tasks t WHERE t.tenant_id = e.tenant_id AND t.event_id = e.id)`);

/** Sub-tasks of an event: billing todos, service checklists (plan, cycle 3). */
@Injectable()
export class EventTaskRepository {
  ofEvent(db: Db, tenantId: string, eventId: string): Promise<EventTaskRow[]> {
    return many(db, sql`SELECT ${COLUMNS} FROM event_tasks WHERE tenant_id = ${tenantId} AND event_id = ${eventId} ORDER BY created_at, id`);
  }

  find(db: Db, tenantId: string, eventId: string, id: string): Promise<EventTaskRow | null> {
    return maybeOne(db, sql`SELECT ${COLUMNS} FROM event_tasks WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND id = ${id} FOR UPDATE`);
  }

  insert(db: Db, tenantId: string, t: Omit<EventTaskRow, 'createdAt' | 'updatedAt' | 'kind'>, at: Date): Promise<EventTaskRow> {
    return one(
      db,
      sql`INSERT INTO event_tasks (id, tenant_id, event_id, title, due_date, required, done, done_at, is_auto_triggered, source, created_at, updated_at)
       VALUES (${t.id}, ${tenantId}, ${t.eventId}, ${t.title}, ${t.dueDate}, ${t.required}, ${t.done}, ${t.doneAt}, ${t.isAutoTriggered}, ${t.source}, ${at}, ${at})
       RETURNING ${COLUMNS}`,
    );
  }

  update(db: Db, tenantId: string, t: EventTaskRow, at: Date): Promise<EventTaskRow> {
    return one(
      db,
      sql`UPDATE event_tasks SET title = ${t.title}, due_date = ${t.dueDate}, required = ${t.required}, done = ${t.done}, done_at = ${t.doneAt}, updated_at = ${at}
       WHERE tenant_id = ${tenantId} AND id = ${t.id} RETURNING ${COLUMNS}`,
    );
  }

  /** The event's sub-tasks not done yet, oldest first (the preparation tasks of EVENT_PREPARATION_STARTED). */
  openOf(db: Db, tenantId: string, eventId: string): Promise<Array<{ id: string; title: string; dueDate: string | null }>> {
    return many(
      db,
      sql`SELECT id, title, due_date::text AS "dueDate" FROM event_tasks WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND NOT done ORDER BY created_at`,
    );
  }

  openRequired(db: Db, tenantId: string, eventId: string): Promise<Array<{ id: string; title: string }>> {
    return many(
      db,
      sql`SELECT id, title FROM event_tasks WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND required AND NOT done ORDER BY created_at`,
    );
  }
}
