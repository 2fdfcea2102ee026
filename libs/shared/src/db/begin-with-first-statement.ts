import { Client, Query } from 'pg';
import type { QueryConfig, QueryResult } from 'pg';

/**
 * Adapter over pg's extended-query internals: `Query#prepare(connection)` (writes Parse/Bind/Describe/Execute/
 * Sync under one cork), `connection.parse/bind/execute`, and `Query#_results` (a second CommandComplete turns it
 * into an array). Checked against the version below; begin-with-first-statement.int-spec.ts fails on any other.
 */
export const RELIES_ON = { package: 'pg', range: '8.23.1' } as const;

/** What TypeORM sends to open a transaction (PostgresQueryRunner#startTransaction). */
const START = /^\s*(START TRANSACTION|BEGIN)\s*;?\s*$/i;
const COMMIT_OR_ROLLBACK = /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i;

type Callback = (err: Error | undefined, res?: unknown) => void;

interface Connection {
  parse(msg: { text: string; name?: string }): void;
  bind(msg: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(msg: { portal?: string; rows?: number }): void;
}

/** A parameterised statement that opens the transaction first, in the same write and round trip. */
class BeginThen extends Query {
  prepare(connection: Connection): void {
    connection.parse({ text: 'BEGIN' });
    connection.bind({});
    connection.execute({});
    (Query.prototype as unknown as { prepare(c: Connection): void }).prepare.call(this, connection);
  }

  handleReadyForQuery(connection: unknown): void {
    // BEGIN's CommandComplete made the results an array: the caller asked for its statement's result only.
    const self = this as unknown as { _results: unknown };
    if (Array.isArray(self._results)) self._results = self._results[self._results.length - 1];
    (Query.prototype as unknown as { handleReadyForQuery(c: unknown): void }).handleReadyForQuery.call(this, connection);
  }
}

/**
 * A pg client that sends a transaction's BEGIN with its first statement instead of alone: TypeORM awaits
 * `START TRANSACTION` before the first statement, one round trip that carries nothing. Here `START
 * TRANSACTION` only marks the transaction as due; the next parameterised statement goes out as
 * Parse/Bind/Execute of BEGIN followed by its own messages and one Sync (one socket write, one round trip), a
 * plain-text one after a BEGIN of its own, and a COMMIT or ROLLBACK with nothing before it costs nothing.
 * Socket writes dominate the services' CPU on this machine (BENCHMARKS.md); every write transaction saves one.
 *
 * Semantics do not change: the statement runs inside the transaction exactly as before (a failure leaves it
 * aborted, and the caller's ROLLBACK follows as usual); only the moment BEGIN reaches the server moves to the
 * first statement. Used as the pool's `Client` (data-source-options.ts).
 */
export class BeginWithFirstStatementClient extends Client {
  private beginDue = false;
  private releaseFn?: unknown;

  /**
   * The pool hands this client out by setting its `release`: a transaction marked due and never ended (a
   * caller that released without COMMIT or ROLLBACK) must not put a BEGIN in front of the next user's query.
   */
  get release(): unknown {
    return this.releaseFn;
  }

  set release(fn: unknown) {
    this.beginDue = false;
    this.releaseFn = fn;
  }

  // The overloads of pg's Client#query are many; every form funnels through this one.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args as [string | QueryConfig | { submit?: unknown }, unknown, Callback | undefined];
    const text = typeof config === 'string' ? config : (config as QueryConfig | undefined)?.text;
    const submittable = typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';
    if (!submittable && typeof text === 'string') {
      if (START.test(text) && !this.beginDue) {
        this.beginDue = true;
        return answer(values, callback, { command: 'BEGIN', rowCount: null, rows: [], fields: [] }) as never;
      }
      if (this.beginDue) {
        this.beginDue = false;
        // A transaction that ran nothing: neither its BEGIN nor its end needs the server.
        if (COMMIT_OR_ROLLBACK.test(text))
          return answer(values, callback, { command: text.trim().split(/\s|;/)[0].toUpperCase(), rowCount: null, rows: [], fields: [] }) as never;
        const params = Array.isArray(values) ? values : (config as QueryConfig).values;
        if (params && params.length > 0)
          return this.send(new BeginThen(config as QueryConfig, values as unknown[], typeof values === 'function' ? (values as Callback) : callback)) as never;
        // Plain text (no parameters) may hold several statements, which the extended protocol refuses: BEGIN
        // alone first, the statement once BEGIN is answered (handing pg a query while one runs is deprecated).
        return super.query('BEGIN').then(() => (super.query as (...a: unknown[]) => unknown)(...args)) as never;
      }
    }
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }

  /** Submits a prepared Query like Client#query does for its own, answering a promise when no callback was given. */
  private send(query: BeginThen): Promise<QueryResult> | undefined {
    const q = query as unknown as { callback?: Callback };
    if (q.callback) {
      super.query(query as never);
      return undefined;
    }
    return new Promise<QueryResult>((resolve, reject) => {
      q.callback = (err, res) => (err ? reject(err) : resolve(res as QueryResult));
      super.query(query as never);
    });
  }
}

/** Answers a statement that was not sent, in the shape pg would: callback or promise. */
function answer(values: unknown, callback: Callback | undefined, result: Partial<QueryResult>): Promise<unknown> | undefined {
  const cb = typeof values === 'function' ? (values as Callback) : callback;
  if (cb) {
    process.nextTick(() => cb(undefined, result));
    return undefined;
  }
  return Promise.resolve(result);
}
