import { Injectable } from '@nestjs/common';
import { Db, exec, execWithNext, many, maybeOne, one, selectList, Sql, sql } from '@app/shared/db/sql';
import { NEXT_VISIT_PLACE_JSON, VisitPlace } from '../appointment-sync/appointment-view.repository';
import { Assignee, ASSIGNEES_JSON } from './event-assignee.repository';
import { reserveTaskNumbers, taskIdOf, taskIdsEndingAt } from './task-id.allocator';
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
  /** Present when asked for: where the event's next open visit takes place (null: it has none). */
  nextVisitPlace?: VisitPlace | null;
}

export type UnnumberedContractEventRow = Omit<NewContractEventRow, 'taskId' | 'tenantId'>;

export type NewContractEventRow = Omit<ContractEventRow, 'statusChangedAt' | 'amountSettled' | 'notes' | 'version' | 'createdAt' | 'updatedAt'>;

const FIELDS = [
  'id',
  'tenantId',
  'contractId',
  'taskId',
  'eventType',
  'title',
  'status',
  'statusChangedAt',
  'scheduledDate',
  'originalDate',
  'sequenceNumber',
  'totalOccurrences',
  'promiseKey',
  'partId',
  'promiseQty',
  'quantity',
  'isUnlimited',
  'amount',
  'amountSettled',
  'currency',
  'notes',
  'source',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof ContractEventRow>;

/** The select list of a ContractEventRow from `contract_events e` (money as text: exact decimals). */
export const EVENT_COLUMNS: Sql = selectList('e', FIELDS, { amount: 'e.amount::text', amountSettled: 'e.amount_settled::text' });

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

/**
 * The INSERT of `rows` numbered `base + 1`, `base + 2`, … in row order (`base` an SQL expression over `from`).
 * One array parameter per column whatever the number of rows.
 */
function insertEvents(tenantId: string, rows: UnnumberedContractEventRow[], base: Sql, from: Sql | null, at: Date): Sql {
  const col = <K extends keyof UnnumberedContractEventRow>(k: K, type: string) =>
    sql.array(
      rows.map((r) => r[k]),
      type,
    );
  return sql`INSERT INTO contract_events (id, tenant_id, contract_id, task_id, event_type, title, status, scheduled_date, original_date,
      sequence_number, total_occurrences, promise_key, part_id, promise_qty, quantity, is_unlimited, amount, currency, source,
      status_changed_at, created_at, updated_at)
    SELECT u.id, ${tenantId}, u.contract_id, ${taskIdOf(sql`${base} + u.n`)}, u.event_type, u.title, u.status,
      u.scheduled_date, u.original_date, u.sequence_number, u.total_occurrences, u.promise_key, u.part_id, u.promise_qty, u.quantity,
      u.is_unlimited, u.amount, u.currency, u.source, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    FROM ${from ? sql`${from}, ` : sql.empty}unnest(${sql.join([
      col('id', 'uuid'),
      col('contractId', 'uuid'),
      col('eventType', 'text'),
      col('title', 'text'),
      col('status', 'text'),
      col('scheduledDate', 'timestamptz'),
      col('originalDate', 'timestamptz'),
      col('sequenceNumber', 'int'),
      col('totalOccurrences', 'int'),
      col('promiseKey', 'text'),
      col('partId', 'text'),
      col('promiseQty', 'int'),
      col('quantity', 'int'),
      col('isUnlimited', 'boolean'),
      col('amount', 'numeric'),
      col('currency', 'text'),
      col('source', 'text'),
    ])})
      WITH ORDINALITY AS u(id, contract_id, event_type, title, status, scheduled_date, original_date, sequence_number, total_occurrences,
        promise_key, part_id, promise_qty, quantity, is_unlimited, amount, currency, source, n)`;
}

const lockClause = (lock?: boolean, of = '') => (lock ? sql.raw(`FOR UPDATE${of}`) : sql.empty);

/** Contract events in schema `events`; every method takes the tenant and (where it writes) the transaction. */
@Injectable()
export class ContractEventRepository {
  findById(db: Db, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<ContractEventRow | null> {
    return maybeOne(db, sql`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = ${tenantId} AND e.id = ${id} ${lockClause(opts.lock)}`);
  }

  /**
   * The event with its assignees (and its sub-tasks when asked) in one round trip, for the reads and moves
   * that answer the full event view.
   */
  findWithDetails(
    db: Db,
    tenantId: string,
    id: string,
    opts: { lock?: boolean; tasks?: boolean; nextVisitPlace?: boolean } = {},
  ): Promise<EventWithDetails | null> {
    return maybeOne(
      db,
      sql`SELECT ${EVENT_COLUMNS}, ${ASSIGNEES_JSON} AS assignees${opts.tasks ? sql`, ${TASKS_JSON} AS tasks` : sql.empty}${
        opts.nextVisitPlace ? sql`, ${NEXT_VISIT_PLACE_JSON} AS "nextVisitPlace"` : sql.empty
      }
       FROM contract_events e WHERE e.tenant_id = ${tenantId} AND e.id = ${id} ${lockClause(opts.lock, ' OF e')}`,
    );
  }

  findByIds(db: Db, tenantId: string, ids: string[], opts: { lock?: boolean } = {}): Promise<ContractEventRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return many(
      db,
      sql`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = ${tenantId} AND e.id = ANY(${sql.array(ids, 'uuid')})
          ORDER BY e.scheduled_date, e.id ${lockClause(opts.lock)}`,
    );
  }

  ofContract(db: Db, tenantId: string, contractId: string, opts: { lock?: boolean } = {}): Promise<ContractEventRow[]> {
    return many(
      db,
      sql`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = ${tenantId} AND e.contract_id = ${contractId}
          ORDER BY e.scheduled_date, e.task_id ${lockClause(opts.lock)}`,
    );
  }

  /**
   * Inserts a contract's new events numbered with the tenant's next TaskIDs, reserved in the same statement
   * (row order = number order) together with `alongside` (their history rows). Returns the TaskIDs.
   * One round trip: the counter row stays locked from its bump until the caller commits, and every
   * activation of the tenant waits for it, so the less that follows the bump, the better.
   */
  async insertNumbered(db: Db, tenantId: string, rows: UnnumberedContractEventRow[], at: Date, alongside?: Sql): Promise<string[]> {
    const { last } = await one<{ last: string }>(
      db,
      sql`WITH counter AS (${reserveTaskNumbers(tenantId, rows.length)} RETURNING last_value),
         ${alongside ? sql`alongside AS (${alongside}),` : sql.empty}
         inserted AS (${insertEvents(tenantId, rows, sql`c.last_value - ${rows.length}`, sql`counter c`, at)})
         SELECT last_value::text AS last FROM counter`,
    );
    return taskIdsEndingAt(Number(last), rows.length);
  }

  /**
   * Reserves the tenant's next `count` TaskIDs and answers the first number. The counter row stays locked
   * until the caller commits (gap-free numbers): reserve last, just before inserting the events.
   */
  async reserveTaskNumbers(db: Db, tenantId: string, count: number): Promise<number> {
    const { last } = await one<{ last: string }>(db, sql`${reserveTaskNumbers(tenantId, count)} RETURNING last_value::text AS last`);
    return Number(last) - count + 1;
  }

  /** Inserts events numbered from `first` (reserved by reserveTaskNumbers) in row order, with `alongside` in the same statement. */
  async insertReserved(db: Db, tenantId: string, rows: UnnumberedContractEventRow[], first: number, at: Date, alongside?: Sql): Promise<void> {
    if (rows.length === 0) return;
    const insert = insertEvents(tenantId, rows, sql`${first - 1}::bigint`, null, at);
    await exec(db, alongside ? sql`WITH alongside AS (${alongside}) ${insert}` : insert);
  }

  /**
   * Writes new statuses of rows the caller holds locked at `version` (each becomes `version + 1`), with
   * `alongside` (the history rows) in the same statement, sent with the transaction's next statement (usually
   * the outbox's INSERT and the COMMIT): a move costs no round trip of its own. Answers the new versions, in
   * the order given.
   */
  async setStatuses(
    db: Db,
    tenantId: string,
    moves: ReadonlyArray<{ id: string; status: string; version: number }>,
    at: Date,
    alongside?: Sql,
  ): Promise<number[]> {
    const withAlongside = alongside ? sql`WITH alongside AS (${alongside}) ` : sql.empty;
    const set = sql`status_changed_at = ${at}, version = e.version + 1, updated_at = ${at}`;
    await execWithNext(
      db,
      moves.length === 1
        ? sql`${withAlongside}UPDATE contract_events e SET status = ${moves[0].status}, ${set} WHERE e.tenant_id = ${tenantId} AND e.id = ${moves[0].id}`
        : sql`${withAlongside}UPDATE contract_events e SET status = u.status, ${set}
              FROM unnest(${sql.array(
                moves.map((m) => m.id),
                'uuid',
              )}, ${sql.array(
                moves.map((m) => m.status),
                'text',
              )}) AS u(id, status)
              WHERE e.tenant_id = ${tenantId} AND e.id = u.id`,
    );
    return moves.map((m) => m.version + 1);
  }

  async setFields(db: Db, e: ContractEventRow, fields: { scheduledDate?: Date; notes?: string | null; amountSettled?: string }, at: Date): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE contract_events SET scheduled_date = COALESCE(${fields.scheduledDate ?? null}::timestamptz, scheduled_date),
           notes = CASE WHEN ${fields.notes !== undefined}::boolean THEN ${fields.notes ?? null} ELSE notes END,
           amount_settled = COALESCE(${fields.amountSettled ?? null}::numeric, amount_settled),
           version = version + 1, updated_at = ${at}
         WHERE tenant_id = ${e.tenantId} AND id = ${e.id} RETURNING version`,
    );
    return version;
  }

  /** Bumps the version for a change recorded elsewhere (assignees, sub-tasks), so concurrent edits see it. */
  async touch(db: Db, e: ContractEventRow, at: Date): Promise<number> {
    const { version } = await one<{ version: number }>(
      db,
      sql`UPDATE contract_events SET version = version + 1, updated_at = ${at} WHERE tenant_id = ${e.tenantId} AND id = ${e.id} RETURNING version`,
    );
    return version;
  }

  list(db: Db, tenantId: string, f: EventListFilter): Promise<ContractEventRow[]> {
    const where = [sql`e.tenant_id = ${tenantId}`];
    if (f.contractId) where.push(sql`e.contract_id = ${f.contractId}`);
    if (f.type) where.push(sql`e.event_type = ${f.type}`);
    if (f.statuses?.length) where.push(sql`e.status = ANY(${sql.array(f.statuses, 'text')})`);
    if (f.from) where.push(sql`e.scheduled_date >= ${f.from}`);
    if (f.to) where.push(sql`e.scheduled_date <= ${f.to}`);
    if (f.assigneeId) {
      where.push(sql`EXISTS (SELECT 1 FROM event_assignees a WHERE a.event_id = e.id AND a.tenant_id = e.tenant_id AND a.user_id = ${f.assigneeId})`);
    }
    if (f.after) where.push(sql`(e.scheduled_date, e.id) > (${f.after.scheduledDate}::timestamptz, ${f.after.id}::uuid)`);
    return many(db, sql`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE ${sql.join(where, ' AND ')} ORDER BY e.scheduled_date, e.id LIMIT ${f.limit}`);
  }

  countsOfContract(db: Db, tenantId: string, contractId: string): Promise<Array<{ eventType: ContractEventRow['eventType']; status: string; count: number }>> {
    return many(
      db,
      sql`SELECT event_type AS "eventType", status, count(*)::int AS count FROM contract_events
          WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  }

  /** How many of the tenant's events of a type hold each status (to refuse a flow change that would strand them). */
  statusesInUse(db: Db, tenantId: string, eventType: string): Promise<Array<{ status: string; n: number }>> {
    return many(db, sql`SELECT status, count(*)::int AS n FROM contract_events WHERE tenant_id = ${tenantId} AND event_type = ${eventType} GROUP BY status`);
  }

  /** Spare-part units per part of a contract: scheduled (not cancelled) and completed (in a done status). */
  partUnits(
    db: Db,
    tenantId: string,
    contractId: string,
    done: string[],
    cancelled: string[],
  ): Promise<Array<{ partId: string; scheduled: number; completed: number }>> {
    return many(
      db,
      sql`SELECT part_id AS "partId",
              COALESCE(sum(quantity) FILTER (WHERE NOT status = ANY(${sql.array(cancelled, 'text')})), 0)::int AS scheduled,
              COALESCE(sum(quantity) FILTER (WHERE status = ANY(${sql.array(done, 'text')})), 0)::int AS completed
       FROM contract_events WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} AND event_type = 'spare_part' GROUP BY part_id`,
    );
  }
}
