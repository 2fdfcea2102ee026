import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, selectList, sql } from '@app/shared/db/sql';

export interface ActivityOutcomes {
  metrics: Record<string, number>;
  notes: string;
  photoUrls: string[];
}

export interface ActivityIssue {
  id: string;
  issueType: string;
  description: string;
  impactLevel: string;
  photoUrls: string[];
  reportedBy: string;
  reportedAt: string;
}

/** An activity: an `event_tasks` row of kind `activity`, with its contract and the kits in use. */
export interface ActivityRow {
  id: string;
  eventId: string;
  contractId: string;
  title: string;
  activityType: string;
  description: string;
  durationMinutes: number | null;
  requiredKitTemplateIds: string[];
  requiredStaffRoles: string[];
  required: boolean;
  dueDate: string | null;
  done: boolean;
  doneAt: Date | null;
  createdBy: string | null;
  assignmentId: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeRole: string | null;
  instructions: string | null;
  assignedBy: string | null;
  assignedAt: Date | null;
  startedBy: string | null;
  startedAt: Date | null;
  completedBy: string | null;
  outcomes: ActivityOutcomes | null;
  issues: ActivityIssue[];
  kitsInUse: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Microsecond keyset text of createdAt (lists). */
  cursorAt: string;
}

export type NewActivityRow = Pick<
  ActivityRow,
  | 'id'
  | 'eventId'
  | 'title'
  | 'activityType'
  | 'description'
  | 'durationMinutes'
  | 'requiredKitTemplateIds'
  | 'requiredStaffRoles'
  | 'required'
  | 'dueDate'
  | 'createdBy'
> & { source: string; isAutoTriggered: boolean };

/** What an action changes on an activity (the version goes up by one on every save). */
export type ActivityChange = Partial<
  Pick<
    ActivityRow,
    | 'assignmentId'
    | 'assigneeId'
    | 'assigneeName'
    | 'assigneeRole'
    | 'instructions'
    | 'assignedBy'
    | 'assignedAt'
    | 'startedBy'
    | 'startedAt'
    | 'completedBy'
    | 'doneAt'
    | 'outcomes'
  >
> & { done?: boolean };

const COLUMNS = sql`${selectList(
  't',
  [
    'id',
    'eventId',
    'title',
    'activityType',
    'description',
    'durationMinutes',
    'required',
    'dueDate',
    'done',
    'doneAt',
    'createdBy',
    'assignmentId',
    'assigneeId',
    'assigneeName',
    'assigneeRole',
    'instructions',
    'assignedBy',
    'assignedAt',
    'startedBy',
    'startedAt',
    'completedBy',
    'outcomes',
    'issues',
    'version',
    'createdAt',
    'updatedAt',
  ],
  { dueDate: 't.due_date::text', description: `coalesce(t.description, '')`, activityType: `coalesce(t.activity_type, '')` },
)}, e.contract_id AS "contractId", t.required_kit_template_ids::text[] AS "requiredKitTemplateIds", t.required_staff_roles AS "requiredStaffRoles",
  ARRAY(SELECT ka.kit_instance_id::text FROM kit_assignments ka WHERE ka.tenant_id = t.tenant_id AND ka.activity_id = t.id AND ka.status <> 'returned'
        ORDER BY ka.assigned_at, ka.id) AS "kitsInUse",
  ${sql.raw(cursorTime('t.created_at'))} AS "cursorAt"`;

const FROM = sql`FROM event_tasks t JOIN contract_events e ON e.tenant_id = t.tenant_id AND e.id = t.event_id`;

/** Activities are sub-tasks (`event_tasks`) of kind `activity`: one table, one gate, one audit for both. */
@Injectable()
export class ActivityRepository {
  find(db: Db, tenantId: string, eventId: string, id: string, opts: { lock?: boolean } = {}): Promise<ActivityRow | null> {
    return maybeOne(
      db,
      sql`SELECT ${COLUMNS} ${FROM} WHERE t.tenant_id = ${tenantId} AND t.event_id = ${eventId} AND t.id = ${id} AND t.kind = 'activity'
          ${opts.lock ? sql`FOR UPDATE OF t` : sql``}`,
    );
  }

  ofEvent(db: Db, tenantId: string, eventId: string, after: { createdAt: string; id: string } | undefined, limit: number): Promise<ActivityRow[]> {
    return many(
      db,
      sql`SELECT ${COLUMNS} ${FROM} WHERE t.tenant_id = ${tenantId} AND t.event_id = ${eventId} AND t.kind = 'activity'
          ${after ? sql`AND (t.created_at, t.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
          ORDER BY t.created_at, t.id LIMIT ${limit}`,
    );
  }

  async insert(db: Db, tenantId: string, a: NewActivityRow, at: Date): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO event_tasks (id, tenant_id, event_id, kind, title, activity_type, description, duration_minutes, required_kit_template_ids,
            required_staff_roles, due_date, required, done, is_auto_triggered, source, created_by, created_at, updated_at)
          VALUES (${a.id}, ${tenantId}, ${a.eventId}, 'activity', ${a.title}, ${a.activityType}, ${a.description}, ${a.durationMinutes},
            ${sql.array(a.requiredKitTemplateIds, 'uuid')}, ${sql.array(a.requiredStaffRoles, 'text')}, ${a.dueDate}::date, ${a.required}, false,
            ${a.isAutoTriggered}, ${a.source}, ${a.createdBy}, ${at}, ${at})`,
    );
  }

  /** Writes the fields an action changed and bumps the version; returns the new version. */
  async save(db: Db, tenantId: string, a: ActivityRow, change: ActivityChange, at: Date): Promise<number> {
    const n = { ...a, ...change };
    const row = await maybeOne<{ version: number }>(
      db,
      sql`UPDATE event_tasks SET assignment_id = ${n.assignmentId}, assignee_id = ${n.assigneeId}, assignee_name = ${n.assigneeName},
            assignee_role = ${n.assigneeRole}, instructions = ${n.instructions}, assigned_by = ${n.assignedBy}, assigned_at = ${n.assignedAt},
            started_by = ${n.startedBy}, started_at = ${n.startedAt}, completed_by = ${n.completedBy}, done = ${n.done}, done_at = ${n.doneAt},
            outcomes = ${n.outcomes === null ? null : sql.json(n.outcomes)}, version = version + 1, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${a.id} RETURNING version`,
    );
    return row!.version;
  }

  /** Appends an issue to the activity (kept on the row: an activity has few); returns the new version. */
  async addIssue(db: Db, tenantId: string, id: string, issue: ActivityIssue, at: Date): Promise<number> {
    const row = await maybeOne<{ version: number }>(
      db,
      sql`UPDATE event_tasks SET issues = issues || jsonb_build_array(${sql.json(issue)}::jsonb), version = version + 1, updated_at = ${at}
          WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING version`,
    );
    return row!.version;
  }

  /** The ids of the tenant's kit templates among `ids`, archived or not. */
  async knownKitTemplates(db: Db, tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await many<{ id: string }>(db, sql`SELECT id FROM kit_templates WHERE tenant_id = ${tenantId} AND id = ANY(${sql.array(ids, 'uuid')})`);
    return new Set(rows.map((r) => r.id));
  }
}
