import { isUniqueViolation } from '@app/shared/db/pg-errors';
import { Injectable } from '@nestjs/common';
import { Actor } from '@app/shared/context/actor';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, exec, many, maybeOne, selectList, sql } from '@app/shared/db/sql';

export type KitStatus = 'available' | 'assigned' | 'prepared' | 'checked_out' | 'out_of_service';

export interface KitComponent {
  id: string;
  name: string;
  quantity: number;
  condition: string;
  missing: boolean;
}

export interface KitRow {
  id: string;
  templateId: string;
  label: string;
  condition: string;
  status: KitStatus;
  components: KitComponent[];
  currentAssignmentId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  cursorAt: string;
}

export interface DamagedComponent {
  id: string;
  description: string;
  severity: string;
}

export interface KitAssignmentRow {
  id: string;
  kitInstanceId: string;
  kitTemplateId: string;
  activityId: string;
  eventId: string;
  quantity: number;
  notes: string | null;
  status: 'assigned' | 'prepared' | 'checked_out' | 'returned';
  assignedBy: string;
  assignedAt: Date;
  preparedBy: string | null;
  preparedAt: Date | null;
  checkedOutBy: string | null;
  checkedOutAt: Date | null;
  checkedOutTo: string | null;
  expectedReturnAt: Date | null;
  returnedBy: string | null;
  returnedAt: Date | null;
  receivedBy: string | null;
  returnCondition: string | null;
  missingComponents: string[] | null;
  damagedComponents: DamagedComponent[] | null;
}

export interface KitHistoryEntry {
  kitInstanceId: string;
  kitAssignmentId: string | null;
  action: string;
  fromStatus: KitStatus | null;
  toStatus: KitStatus;
  condition: string;
  details: Record<string, unknown>;
  actor: Actor;
  at: Date;
}

export interface KitHistoryRow extends Omit<KitHistoryEntry, 'actor'> {
  id: string;
  actorType: string;
  actorId: string;
  actorName: string;
}

const KIT_COLUMNS = sql`${selectList(null, ['id', 'templateId', 'label', 'condition', 'status', 'components', 'currentAssignmentId', 'version', 'createdAt', 'updatedAt'])},
  ${sql.raw(cursorTime('created_at'))} AS "cursorAt"`;

const ASSIGNMENT_FIELDS = [
  'id',
  'kitInstanceId',
  'kitTemplateId',
  'activityId',
  'eventId',
  'quantity',
  'notes',
  'status',
  'assignedBy',
  'assignedAt',
  'preparedBy',
  'preparedAt',
  'checkedOutBy',
  'checkedOutAt',
  'checkedOutTo',
  'expectedReturnAt',
  'returnedBy',
  'returnedAt',
  'receivedBy',
  'returnCondition',
  'missingComponents',
  'damagedComponents',
];
const ASSIGNMENT_COLUMNS = selectList(null, ASSIGNMENT_FIELDS);

/** Kit instances, their assignments to activities and their history. */
@Injectable()
export class KitRepository {
  find(db: Db, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<KitRow | null> {
    return maybeOne(db, sql`SELECT ${KIT_COLUMNS} FROM kit_instances WHERE tenant_id = ${tenantId} AND id = ${id} ${opts.lock ? sql`FOR UPDATE` : sql``}`);
  }

  page(db: Db, tenantId: string, f: { templateId?: string; status?: string; after?: { createdAt: string; id: string }; limit: number }): Promise<KitRow[]> {
    const where = [sql`tenant_id = ${tenantId}`];
    if (f.templateId) where.push(sql`template_id = ${f.templateId}`);
    if (f.status) where.push(sql`status = ${f.status}`);
    if (f.after) where.push(sql`(created_at, id) > (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
    return many(db, sql`SELECT ${KIT_COLUMNS} FROM kit_instances WHERE ${sql.join(where, ' AND ')} ORDER BY created_at, id LIMIT ${f.limit}`);
  }

  /** Inserts the kit unless its label is taken in the tenant; false when it is. */
  async insert(db: Db, tenantId: string, k: Pick<KitRow, 'id' | 'templateId' | 'label' | 'condition' | 'status' | 'components'>, at: Date): Promise<boolean> {
    const row = await maybeOne(
      db,
      sql`INSERT INTO kit_instances (id, tenant_id, template_id, label, condition, status, components, created_at, updated_at)
          VALUES (${k.id}, ${tenantId}, ${k.templateId}, ${k.label}, ${k.condition}, ${k.status}, ${sql.json(k.components)}, ${at}, ${at})
          ON CONFLICT (tenant_id, label) DO NOTHING RETURNING id`,
    );
    return row !== null;
  }

  /** Writes the kit's changing fields and bumps its version; false when the new label is another kit's. */
  async save(db: Db, tenantId: string, k: KitRow, at: Date): Promise<boolean> {
    try {
      const row = await maybeOne(
        db,
        sql`UPDATE kit_instances SET label = ${k.label}, condition = ${k.condition}, status = ${k.status}, components = ${sql.json(k.components)},
              current_assignment_id = ${k.currentAssignmentId}, version = version + 1, updated_at = ${at}
            WHERE tenant_id = ${tenantId} AND id = ${k.id}
              AND NOT EXISTS (SELECT 1 FROM kit_instances o WHERE o.tenant_id = ${tenantId} AND o.label = ${k.label} AND o.id <> ${k.id})
            RETURNING id`,
      );
      return row !== null;
    } catch (err) {
      // Two kits renamed to one label at once: NOT EXISTS saw neither, the unique index stops the second.
      // The caller refuses (409) and its transaction, aborted by the error, rolls back.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  findAssignment(db: Db, tenantId: string, id: string): Promise<KitAssignmentRow | null> {
    return maybeOne(db, sql`SELECT ${ASSIGNMENT_COLUMNS} FROM kit_assignments WHERE tenant_id = ${tenantId} AND id = ${id}`);
  }

  /** The open assignment of each kit, or its last one. */
  async latestAssignments(db: Db, tenantId: string, kitIds: string[]): Promise<Map<string, KitAssignmentRow>> {
    if (kitIds.length === 0) return new Map();
    const rows = await many<KitAssignmentRow>(
      db,
      sql`SELECT DISTINCT ON (kit_instance_id) ${ASSIGNMENT_COLUMNS} FROM kit_assignments
          WHERE tenant_id = ${tenantId} AND kit_instance_id = ANY(${sql.array(kitIds, 'uuid')}) ORDER BY kit_instance_id, assigned_at DESC, id`,
    );
    return new Map(rows.map((r) => [r.kitInstanceId, r]));
  }

  async insertAssignment(
    db: Db,
    tenantId: string,
    a: Pick<KitAssignmentRow, 'id' | 'kitInstanceId' | 'kitTemplateId' | 'activityId' | 'eventId' | 'quantity' | 'notes' | 'assignedBy' | 'assignedAt'>,
  ): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO kit_assignments (id, tenant_id, kit_instance_id, kit_template_id, activity_id, event_id, quantity, notes, status, assigned_by, assigned_at)
          VALUES (${a.id}, ${tenantId}, ${a.kitInstanceId}, ${a.kitTemplateId}, ${a.activityId}, ${a.eventId}, ${a.quantity}, ${a.notes}, 'assigned',
            ${a.assignedBy}, ${a.assignedAt})`,
    );
  }

  async saveAssignment(db: Db, tenantId: string, a: KitAssignmentRow): Promise<void> {
    await exec(
      db,
      sql`UPDATE kit_assignments SET status = ${a.status}, prepared_by = ${a.preparedBy}, prepared_at = ${a.preparedAt}, checked_out_by = ${a.checkedOutBy},
            checked_out_at = ${a.checkedOutAt}, checked_out_to = ${a.checkedOutTo}, expected_return_at = ${a.expectedReturnAt}, returned_by = ${a.returnedBy},
            returned_at = ${a.returnedAt}, received_by = ${a.receivedBy}, return_condition = ${a.returnCondition},
            missing_components = ${a.missingComponents ? sql.json(a.missingComponents) : null}, damaged_components = ${a.damagedComponents ? sql.json(a.damagedComponents) : null}
          WHERE tenant_id = ${tenantId} AND id = ${a.id}`,
    );
  }

  async appendHistory(db: Db, tenantId: string, h: KitHistoryEntry): Promise<void> {
    await exec(
      db,
      sql`INSERT INTO kit_history (tenant_id, kit_instance_id, kit_assignment_id, action, from_status, to_status, condition, details, actor_type, actor_id, actor_name, at)
          VALUES (${tenantId}, ${h.kitInstanceId}, ${h.kitAssignmentId}, ${h.action}, ${h.fromStatus}, ${h.toStatus}, ${h.condition}, ${sql.json(h.details)},
            ${h.actor.type}, ${h.actor.id}, ${h.actor.name}, ${h.at})`,
    );
  }

  history(db: Db, tenantId: string, kitId: string, afterId: number | undefined, limit: number): Promise<KitHistoryRow[]> {
    return many(
      db,
      sql`SELECT id::text AS id, kit_instance_id AS "kitInstanceId", kit_assignment_id AS "kitAssignmentId", action, from_status AS "fromStatus",
            to_status AS "toStatus", condition, details, actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName", at
          FROM kit_history WHERE tenant_id = ${tenantId} AND kit_instance_id = ${kitId} ${afterId !== undefined ? sql`AND id > ${afterId}` : sql``}
          ORDER BY id LIMIT ${limit}`,
    );
  }
}
