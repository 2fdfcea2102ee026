import { Actor, ChangeSource } from '../context/actor';
import { Db, exec, Sql, sql } from '../db/sql';

/**
 * The one shape of status history, in each service's own table (`status_history` in schemas events,
 * tickets, jtd). Every table has these columns, named and typed alike, plus the column naming its subject
 * and whatever the service adds:
 *
 * | column | type | |
 * |---|---|---|
 * | tenant_id | uuid NOT NULL | |
 * | from_status | text NULL | null on the row that records creation |
 * | to_status | text NOT NULL | |
 * | actor_type, actor_id, actor_name | text, uuid, text | who: user, vani, system, webhook |
 * | source | text NOT NULL | user, system, vani (`sourceOf(actor)`) |
 * | reason | text NULL | the reason or note given with the move |
 * | seconds_in_previous | int NULL | time spent in `from_status` |
 * | is_valid_transition | boolean NOT NULL | false for a move the flow does not define (soft machines, forced moves) |
 * | at | timestamptz NOT NULL | |
 *
 * Answers may name these fields as the API document does (`timeInPreviousStatus` in an event's audit,
 * `durationSeconds` in a JTD's history): the views map them; the columns do not change.
 */
export interface HistoryTable {
  /** The table in the service's schema (`status_history`). */
  table: string;
  /** The column naming the subject: `event_id`, `entity_id`, `jtd_id`. */
  subjectColumn: string;
  /** Columns with one value for every row this machine writes (`{ entity_type: 'ticket' }`). */
  fixed?: Record<string, string>;
  /** The service's own extra columns and their SQL types (`{ details: 'jsonb' }`), filled from `HistoryRow.extra`. */
  extra?: Record<string, string>;
}

export interface HistoryRow {
  tenantId: string;
  subjectId: string;
  from: string | null;
  to: string;
  actor: Actor;
  source: ChangeSource;
  reason: string | null;
  secondsInPrevious: number | null;
  isValidTransition: boolean;
  at: Date;
  extra?: Record<string, unknown>;
}

/** The shared columns with the SQL type of each and how a row gives its value. */
const COLUMNS: Array<[column: string, type: string, value: (r: HistoryRow) => unknown]> = [
  ['tenant_id', 'uuid', (r) => r.tenantId],
  ['from_status', 'text', (r) => r.from],
  ['to_status', 'text', (r) => r.to],
  ['actor_type', 'text', (r) => r.actor.type],
  ['actor_id', 'uuid', (r) => r.actor.id],
  ['actor_name', 'text', (r) => r.actor.name],
  ['source', 'text', (r) => r.source],
  ['reason', 'text', (r) => r.reason],
  ['seconds_in_previous', 'int', (r) => r.secondsInPrevious],
  ['is_valid_transition', 'boolean', (r) => r.isValidTransition],
  ['at', 'timestamptz', (r) => r.at],
];

/**
 * The INSERT of `rows` as one statement whatever their number (one array parameter per column), to run
 * alone or as a CTE of the statement that changes the subjects' rows.
 */
export function historyInsert(table: HistoryTable, rows: readonly HistoryRow[]): Sql {
  const extra = Object.entries(table.extra ?? {});
  const fixed = Object.entries(table.fixed ?? {});
  const columns = [table.subjectColumn, ...COLUMNS.map(([c]) => c), ...extra.map(([c]) => c), ...fixed.map(([c]) => c)];
  const arrays = [
    sql.array(
      rows.map((r) => r.subjectId),
      'uuid',
    ),
    ...COLUMNS.map(([, type, value]) => sql.array(rows.map(value), type)),
    ...extra.map(([c, type]) =>
      sql.array(
        rows.map((r) => r.extra?.[c] ?? null),
        type,
      ),
    ),
  ];
  const constants = fixed.map(([, v]) => sql`, ${v}`);
  return sql`INSERT INTO ${sql.raw(table.table)} (${sql.raw(columns.join(', '))}) SELECT u.*${sql.join(constants, '')} FROM unnest(${sql.join(arrays)}) AS u`;
}

/** Writes history rows; the status kit's one writer. Unit tests bind `InMemoryStatusHistory` (libs/shared/src/testing). */
export abstract class StatusHistoryWriter {
  abstract readonly table: HistoryTable;
  /** The INSERT, for a caller that runs it inside its own statement. */
  insertOf(rows: readonly HistoryRow[]): Sql {
    return historyInsert(this.table, rows);
  }
  abstract write(tx: Db, rows: readonly HistoryRow[]): Promise<void>;
}

export class SqlStatusHistory extends StatusHistoryWriter {
  constructor(readonly table: HistoryTable) {
    super();
  }

  async write(tx: Db, rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length > 0) await exec(tx, this.insertOf(rows));
  }
}
