import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf, SqlPart } from '../common/sql';
import { Assignee, ASSIGNEES_JSON } from './event-assignee.repository';
import { reserveTaskNumbersSql, taskIdSql, taskIdsEndingAt } from './task-id.allocator';
import { EventTaskJson, TASKS_JSON } from './event-task.repository';

export interface ContractEventRow {
  id: string;
  tenantId: string;
  contractId: string;
  taskId: string;
  eventType: 'service' | 'spare_part' | 'billing';
  title: string;
  status: string;
  statusChangedAt: Date;
  scheduledDate: Date;
  originalDate: Date;
  sequenceNumber: number | null;
  totalOccurrences: number | null;
  promiseKey: string | null;
  partId: string | null;
  promiseQty: number | null;
  quantity: number;
  isUnlimited: boolean;
  amount: string | null;
  amountSettled: string;
  currency: string | null;
  notes: string | null;
  source: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventWithDetails extends ContractEventRow {
  assignees: Assignee[];
  /** Present when asked for; timestamps as ISO text. */
  tasks?: EventTaskJson[];
}

export type UnnumberedContractEventRow = Omit<NewContractEventRow, 'taskId' | 'tenantId'>;

export type NewContractEventRow = Omit<ContractEventRow, 'statusChangedAt' | 'amountSettled' | 'notes' | 'version' | 'createdAt' | 'updatedAt'>;

export const EVENT_COLUMNS = `e.id, e.tenant_id AS "tenantId", e.contract_id AS "contractId", e.task_id AS "taskId", e.event_type AS "eventType",
  e.title, e.status, e.status_changed_at AS "statusChangedAt", e.scheduled_date AS "scheduledDate", e.original_date AS "originalDate",
  e.sequence_number AS "sequenceNumber", e.total_occurrences AS "totalOccurrences", e.promise_key AS "promiseKey", e.part_id AS "partId",
  e.promise_qty AS "promiseQty", e.quantity, e.is_unlimited AS "isUnlimited", e.amount::text AS amount, e.amount_settled::text AS "amountSettled",
  e.currency, e.notes, e.source, e.version, e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

export interface EventListFilter {
  contractId?: string;
  type?: string;
  statuses?: string[];
  assigneeId?: string;
  from?: Date;
  to?: Date;
  /** Keyset: events after (scheduledDate, id). */
  after?: { scheduledDate: Date; id: string };
  limit: number;
}

/** Contract events in schema `events`; every method takes the tenant and (where it writes) the transaction. */
@Injectable()
export class ContractEventRepository {
  async findById(m: EntityManager, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<ContractEventRow | null> {
    const rows = await m.query(
      `SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = $1 AND e.id = $2 ${opts.lock ? 'FOR UPDATE' : ''}`,
      [tenantId, id],
    );
    return rows[0] ?? null;
  }

  /**
   * The event with its assignees (and its sub-tasks when asked) in one round trip, for the reads and moves
   * that answer the full event view.
   */
  async findWithDetails(m: EntityManager, tenantId: string, id: string, opts: { lock?: boolean; tasks?: boolean } = {}): Promise<EventWithDetails | null> {
    const rows = await m.query(
      `SELECT ${EVENT_COLUMNS}, ${ASSIGNEES_JSON} AS assignees${opts.tasks ? `, ${TASKS_JSON} AS tasks` : ''}
       FROM contract_events e WHERE e.tenant_id = $1 AND e.id = $2 ${opts.lock ? 'FOR UPDATE OF e' : ''}`,
      [tenantId, id],
    );
    return rows[0] ?? null;
  }

  async findByIds(m: EntityManager, tenantId: string, ids: string[], opts: { lock?: boolean } = {}): Promise<ContractEventRow[]> {
    if (ids.length === 0) return [];
    return m.query(
      `SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = $1 AND e.id = ANY($2::uuid[]) ORDER BY e.scheduled_date, e.id ${opts.lock ? 'FOR UPDATE' : ''}`,
      [tenantId, ids],
    );
  }

  async ofContract(m: EntityManager, tenantId: string, contractId: string, opts: { lock?: boolean } = {}): Promise<ContractEventRow[]> {
    return m.query(
      `SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = $1 AND e.contract_id = $2 ORDER BY e.scheduled_date, e.task_id ${opts.lock ? 'FOR UPDATE' : ''}`,
      [tenantId, contractId],
    );
  }

  /**
   * Inserts a contract's new events numbered with the tenant's next TaskIDs, reserved in the same statement
   * (row order = number order) together with `alongside` (parameters from $21). Returns the TaskIDs.
   * One round trip: the counter row stays locked from its bump until the caller commits, and every
   * activation of the tenant waits for it, so the less that follows the bump, the better.
   */
  async insertNumbered(m: EntityManager, tenantId: string, rows: UnnumberedContractEventRow[], at: Date, alongside?: SqlPart): Promise<string[]> {
    const col = <K extends keyof UnnumberedContractEventRow>(k: K) => rows.map((r) => r[k]);
    const [row] = rowsOf<{ last: string }>(
      await m.query(
        `WITH counter AS (${reserveTaskNumbersSql('$1', '$2')} RETURNING last_value),
         ${alongside ? `alongside AS (${alongside.sql}),` : ''}
         inserted AS (
           INSERT INTO contract_events (id, tenant_id, contract_id, task_id, event_type, title, status, scheduled_date, original_date,
             sequence_number, total_occurrences, promise_key, part_id, promise_qty, quantity, is_unlimited, amount, currency, source,
             status_changed_at, created_at, updated_at)
           SELECT u.id, $1, u.contract_id, ${taskIdSql('c.last_value - $2 + u.n')}, u.event_type, u.title, u.status, u.scheduled_date, u.original_date,
             u.sequence_number, u.total_occurrences, u.promise_key, u.part_id, u.promise_qty, u.quantity, u.is_unlimited, u.amount, u.currency, u.source,
             $20::timestamptz, $20::timestamptz, $20::timestamptz
           FROM counter c, unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::int[],
             $11::int[], $12::text[], $13::text[], $14::int[], $15::int[], $16::boolean[], $17::numeric[], $18::text[], $19::text[])
             WITH ORDINALITY AS u(id, contract_id, event_type, title, status, scheduled_date, original_date, sequence_number, total_occurrences,
               promise_key, part_id, promise_qty, quantity, is_unlimited, amount, currency, source, n))
         SELECT last_value::text AS last FROM counter`,
        [
          tenantId, rows.length, col('id'), col('contractId'), col('eventType'), col('title'), col('status'),
          col('scheduledDate').map((d) => d.toISOString()), col('originalDate').map((d) => d.toISOString()),
          col('sequenceNumber'), col('totalOccurrences'), col('promiseKey'), col('partId'), col('promiseQty'), col('quantity'),
          col('isUnlimited'), col('amount'), col('currency'), col('source'), at.toISOString(), ...(alongside?.params ?? []),
        ],
      ),
    );
    return taskIdsEndingAt(Number(row.last), rows.length);
  }

  /** Writes the status; `alongside` (parameters numbered from $5) runs in the same statement, e.g. the audit row. */
  async setStatus(m: EntityManager, e: ContractEventRow, status: string, at: Date, alongside?: SqlPart): Promise<number> {
    const rows = await m.query(
      `${alongside ? `WITH alongside AS (${alongside.sql}) ` : ''}UPDATE contract_events SET status = $3, status_changed_at = $4, version = version + 1, updated_at = $4
       WHERE tenant_id = $1 AND id = $2 RETURNING version`,
      [e.tenantId, e.id, status, at.toISOString(), ...(alongside?.params ?? [])],
    );
    return rowsOf<{ version: number }>(rows)[0].version;
  }

  async setFields(
    m: EntityManager,
    e: ContractEventRow,
    fields: { scheduledDate?: Date; notes?: string | null; amountSettled?: string },
    at: Date,
  ): Promise<number> {
    const rows = await m.query(
      `UPDATE contract_events SET scheduled_date = COALESCE($3, scheduled_date),
         notes = CASE WHEN $4::boolean THEN $5 ELSE notes END,
         amount_settled = COALESCE($6::numeric, amount_settled),
         version = version + 1, updated_at = $7
       WHERE tenant_id = $1 AND id = $2 RETURNING version`,
      [
        e.tenantId, e.id, fields.scheduledDate?.toISOString() ?? null, fields.notes !== undefined, fields.notes ?? null,
        fields.amountSettled ?? null, at.toISOString(),
      ],
    );
    return rowsOf<{ version: number }>(rows)[0].version;
  }

  /** Bumps the version for a change recorded elsewhere (assignees, sub-tasks), so concurrent edits see it. */
  async touch(m: EntityManager, e: ContractEventRow, at: Date): Promise<number> {
    const rows = await m.query(`UPDATE contract_events SET version = version + 1, updated_at = $3 WHERE tenant_id = $1 AND id = $2 RETURNING version`, [
      e.tenantId, e.id, at.toISOString(),
    ]);
    return rowsOf<{ version: number }>(rows)[0].version;
  }

  async list(m: EntityManager, tenantId: string, f: EventListFilter): Promise<ContractEventRow[]> {
    const where = ['e.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.contractId) where.push(`e.contract_id = ${p(f.contractId)}`);
    if (f.type) where.push(`e.event_type = ${p(f.type)}`);
    if (f.statuses?.length) where.push(`e.status = ANY(${p(f.statuses)}::text[])`);
    if (f.from) where.push(`e.scheduled_date >= ${p(f.from.toISOString())}`);
    if (f.to) where.push(`e.scheduled_date <= ${p(f.to.toISOString())}`);
    if (f.assigneeId) where.push(`EXISTS (SELECT 1 FROM event_assignees a WHERE a.event_id = e.id AND a.tenant_id = e.tenant_id AND a.user_id = ${p(f.assigneeId)})`);
    if (f.after) where.push(`(e.scheduled_date, e.id) > (${p(f.after.scheduledDate.toISOString())}::timestamptz, ${p(f.after.id)}::uuid)`);
    return m.query(`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE ${where.join(' AND ')} ORDER BY e.scheduled_date, e.id LIMIT ${p(f.limit)}`, params);
  }

  async countsOfContract(m: EntityManager, tenantId: string, contractId: string): Promise<Array<{ eventType: ContractEventRow['eventType']; status: string; count: number }>> {
    return m.query(
      `SELECT event_type AS "eventType", status, count(*)::int AS count FROM contract_events WHERE tenant_id = $1 AND contract_id = $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId, contractId],
    );
  }
}
