import { EntityManager } from 'typeorm';
import { sendWithNext } from './begin-with-first-statement';

/**
 * The one data-access style of every service: SQL written out, run through these few typed functions
 * (see docs/ARCHITECTURE.md, "Data access", for why and the figures).
 *
 * ```ts
 * const e = await maybeOne<ContractEventRow>(tx, sql`SELECT ${EVENT_COLUMNS} FROM contract_events e WHERE e.tenant_id = ${tenantId} AND e.id = ${id}`);
 * const n = await exec(tx, sql`UPDATE contract_events SET notes = ${notes} WHERE tenant_id = ${tenantId} AND id = ANY(${sql.array(ids, 'uuid')})`);
 * ```
 *
 * - `sql` is a tagged template: every `${value}` becomes a numbered parameter, never text; a `${sql`…`}`
 *   fragment is embedded with its own parameters renumbered, so statements compose (a history INSERT run
 *   as a CTE of the UPDATE it goes with) without counting `$n` by hand. `sql.raw(text)` is for text that
 *   is code (column lists, identifiers), never for input.
 * - Rows come back as the driver gives them: the SELECT aliases snake_case columns to the camelCase
 *   fields of the row type (`selectList` writes that list), and casts where the JavaScript type matters
 *   (`numeric::text` for money, `date::text` for calendar days, `count(*)::int`). timestamptz → Date,
 *   jsonb → object, bigint → string. A repository that needs more than aliases maps rows in one function.
 * - Arrays: `sql.array(values, 'uuid')` (a typed `$n::uuid[]`, `= ANY(…)` and `unnest(…)` take it).
 *   JSON: `sql.json(value)` (`$n::jsonb`; a plain array parameter would be sent as a Postgres array).
 * - Transactions: every function takes the `Db` it runs on — the transaction's EntityManager, whose
 *   outbox rows and `afterCommit` work commit with it, or `Transactions.reader` outside one.
 */
export type Db = EntityManager;

const RAW = Symbol('sql.raw');

/** A statement or fragment with its values; compiled to `$1…$n` text only when run. */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with numbered parameters and the values, as the driver takes them. */
  compile(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values };
  }

  /** Appends this fragment's text to a statement whose parameters so far are `values`. */
  render(values: unknown[]): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v instanceof Sql) text += v.render(values);
      else if (isRaw(v)) text += v[RAW];
      else {
        values.push(v === undefined ? null : v);
        text += `$${values.length}`;
      }
      text += this.strings[i + 1];
    }
    this.used = true;
    return text;
  }

  /** True once the fragment was rendered into a statement (the status kit checks its history was written). */
  used = false;
}

type Raw = { [RAW]: string };
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && RAW in v;

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): Sql;
  /** Code, not input: column lists, identifiers, keywords chosen by the program. */
  raw(text: string): Sql;
  /** Fragments joined with a separator (`, ` by default). */
  join(parts: readonly Sql[], separator?: string): Sql;
  /** A typed array parameter: `$n::<type>[]`. */
  array(values: readonly unknown[], type: string): Sql;
  /** A JSON parameter: `$n::jsonb` (null and undefined are SQL NULL). */
  json(value: unknown): Sql;
  /** Nothing: for optional parts (`${cond ? sql`AND …` : sql.empty}`). */
  readonly empty: Sql;
}

export const sql: SqlTag = Object.assign((strings: TemplateStringsArray, ...values: unknown[]) => new Sql(strings, values), {
  raw: (text: string) => new Sql(['', ''], [{ [RAW]: text }]),
  join: (parts: readonly Sql[], separator = ', ') =>
    parts.length === 0 ? new Sql([''], []) : new Sql(['', ...parts.slice(1).map(() => separator), ''], parts),
  array: (values: readonly unknown[], type: string) => new Sql(['', `::${type}[]`], [values]),
  json: (value: unknown) => new Sql(['', '::jsonb'], [value === undefined || value === null ? null : JSON.stringify(value)]),
  get empty() {
    return new Sql([''], []);
  },
});

/**
 * A select list from camelCase field names: `selectList('e', ['id', 'tenantId'])` →
 * `e.id, e.tenant_id AS "tenantId"`; `exprs` gives a field its own expression (`{ amount: 'e.amount::text' }`).
 */
export function selectList(alias: string | null, fields: readonly string[], exprs: Record<string, string> = {}): Sql {
  const prefix = alias ? `${alias}.` : '';
  const text = fields
    .map((f) => {
      const expr = exprs[f] ?? `${prefix}${snakeCase(f)}`;
      return expr === `${prefix}${f}` ? expr : `${expr} AS "${f}"`;
    })
    .join(', ');
  return sql.raw(text);
}

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

interface Result<T> {
  records: T[];
  affected?: number;
}

/** The driver's side of a pooled connection: the pool's client (`PreparingClient`, data-source-options.ts). */
interface PgClient {
  query(text: string, values: unknown[]): Promise<{ rows?: unknown[]; rowCount: number | null }>;
  on(event: 'error', fn: (err: Error) => void): void;
  removeListener(event: 'error', fn: (err: Error) => void): void;
  release(err?: Error): void;
}

/**
 * Runs a statement on `db`'s connection (its transaction), or on a pooled connection outside one. In a
 * transaction it goes through the query runner's `query`, the one funnel the consumer's lazy savepoints wrap
 * (lazy-savepoints.ts). Outside one, straight on a pooled client: a TypeORM query runner, with the
 * EntityManager it makes for itself, its query events, logging and result wrapping, cost about 5 µs of Node's
 * CPU per statement, a tenth of a one-row read's (BENCHMARKS.md, ninth round). Errors there are pg's own
 * (`pgErrorCode` reads both forms).
 */
async function run<T>(db: Db, q: Sql, withNext = false): Promise<Result<T>> {
  const { text, values } = q.compile();
  const statement = withNext ? sendWithNext(text) : text;
  if (db.queryRunner && !db.queryRunner.isReleased) {
    const result = await db.queryRunner.query(statement, values, true);
    return { records: (result.records ?? []) as T[], affected: result.affected };
  }
  const result = await pooled(db, statement, values);
  return { records: (result.rows ?? []) as T[], affected: result.rowCount ?? undefined };
}

/** One statement on a connection borrowed from the pool; a connection that failed meanwhile is dropped, not reused. */
async function pooled(db: Db, text: string, values: unknown[]) {
  const pool = (db.connection.driver as unknown as { master: { connect(): Promise<PgClient> } }).master;
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  try {
    return await client.query(text, values);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Every row. */
export async function many<T>(db: Db, q: Sql): Promise<T[]> {
  return (await run<T>(db, q)).records;
}

/** The row, or null; more than one row is a programming error. */
export async function maybeOne<T>(db: Db, q: Sql): Promise<T | null> {
  const { records } = await run<T>(db, q);
  if (records.length > 1) throw new Error(`expected at most one row, got ${records.length}`);
  return records[0] ?? null;
}

/** Exactly one row (an UPDATE … RETURNING of a row the caller holds locked, an aggregate). */
export async function one<T>(db: Db, q: Sql): Promise<T> {
  const { records } = await run<T>(db, q);
  if (records.length !== 1) throw new Error(`expected one row, got ${records.length}`);
  return records[0];
}

/** A statement run for its effect; answers the number of rows it touched. */
export async function exec(db: Db, q: Sql): Promise<number> {
  return (await run(db, q)).affected ?? 0;
}

/**
 * A write in a transaction whose outcome the caller does not need before its next statement (a status UPDATE
 * of a row it holds locked, whose new version it knows): sent in the same write as that statement, usually
 * the COMMIT, so it costs no round trip of its own. Its error is the next statement's (see `sendWithNext`).
 * Refused outside a transaction.
 */
export async function execWithNext(db: Db, q: Sql): Promise<void> {
  await run(db, q, true);
}
