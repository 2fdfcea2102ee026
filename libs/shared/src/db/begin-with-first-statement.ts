import { Client, Query } from 'pg';
// pg's own mapping of a JavaScript value to its wire text, which Query#prepare's bind applies (untyped module).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };
import type { QueryConfig, QueryResult } from 'pg';

/**
 * Adapter over pg's extended-query internals: `Query#prepare(connection)` (writes Parse/Bind/Describe/Execute/
 * Sync under one cork), `connection.parse/bind/describe/execute`, `Query#_results` (a second CommandComplete
 * turns it into an array), the connection's records of parsed statement names and its `parseComplete` and
 * `readyForQuery` events, and `pg/lib/utils`' `prepareValue`. Checked against the version below;
 * begin-with-first-statement.int-spec.ts fails on any other.
 */
export const RELIES_ON = { package: 'pg', range: '8.23.1' } as const;

/** What TypeORM sends to open a transaction (PostgresQueryRunner#startTransaction). */
const START = /^\s*(START TRANSACTION|BEGIN)\s*;?\s*$/i;
const COMMIT_OR_ROLLBACK = /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i;
/** ROLLBACK, or ROLLBACK TO [SAVEPOINT] x: undoes every statement still waiting to be sent (see sendWithNext). */
const ANY_ROLLBACK = /^\s*ROLLBACK\b/i;
/** One statement (a `;` only at the end): the extended protocol takes no more, so only such a text can carry others with it. */
const ONE_STATEMENT = /^[^;]*;?\s*$/;

/** Marks a statement text for `sendWithNext`. */
const SEND_WITH_NEXT = '/* cn:send-with-next */ ';

/**
 * A parameterised statement whose result nobody reads (an INSERT without RETURNING, a `set_config`), to be sent in the same
 * write as the transaction's next statement instead of alone: usually the COMMIT right behind it, which saves
 * the round trip (the outbox's INSERT, `pg-outbox.ts`). Its promise answers at once; its error, if any, is the
 * next statement's (which then does not run: the transaction is aborted, as if it had failed in place). A
 * ROLLBACK or ROLLBACK TO SAVEPOINT drops what waits: every statement before it was sent, so whatever waits
 * came after the savepoint and would be undone anyway. A later read in the transaction sees its rows (it goes
 * out first). Only inside a transaction (refused outside one).
 */
export function sendWithNext(text: string): string {
  return SEND_WITH_NEXT + text;
}

/** A statement that rides in front of another one: BEGIN, or one sent with the next (values already mapped by pg's prepareValue). */
interface Leading {
  text: string;
  name?: string;
  values?: unknown[];
}

const BEGIN: Leading = { text: 'BEGIN' };

type Callback = (err: Error | undefined, res?: unknown) => void;

interface Connection {
  parse(msg: { text: string; name?: string }): void;
  bind(msg: { portal?: string; statement?: string; values?: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(msg: { type: 'P' | 'S'; name?: string }): void;
  execute(msg: { portal?: string; rows?: number }): void;
}

/**
 * The caller's statement with statements in front of it, all in one write and one round trip (one Sync):
 * BEGIN and the statements sent with the next one. Their CommandCompletes come first; the caller gets its
 * own statement's result. A failure of any of them is the caller's error, and stops the rest.
 */
class WithLeading extends Query {
  /** The Parse messages of the leading statements, in order (a name, or '' for an unnamed one); ParseCompletes confirm them one by one. */
  private parses: string[] = [];
  private confirmed = 0;
  private connection?: Connection & PgConnection;
  /** The caller's statement is named and parsed in this round trip. */
  private ownParse = false;
  private readonly onParseComplete = () => this.confirmed++;

  constructor(
    private readonly leading: Leading[],
    config: QueryConfig,
    values: unknown[] | undefined,
    callback: Callback | undefined,
  ) {
    super(config as never, values as never, callback as never);
  }

  // A text without parameters (COMMIT) too: pg would send it as a simple query, which carries nothing in front.
  requiresPreparation(): boolean {
    return true;
  }

  prepare(connection: Connection): void {
    const con = (this.connection = connection as Connection & PgConnection);
    for (const s of this.leading) {
      if (!s.name || !(s.name in con.parsedStatements || s.name in con.submittedNamedStatements)) {
        connection.parse({ text: s.text, name: s.name });
        if (s.name) con.submittedNamedStatements[s.name] = s.text;
        this.parses.push(s.name ?? '');
      }
      connection.bind({ statement: s.name, values: s.values, valueMapper: (v: unknown) => v });
      // Described like the caller's: a statement that answers rows (set_config) needs their description first.
      connection.describe({ type: 'P' });
      connection.execute({});
    }
    const name = (this as unknown as { name?: string }).name;
    this.ownParse = !!name && !(name in con.parsedStatements || name in con.submittedNamedStatements);
    if (this.parses.some(Boolean) || this.ownParse) con.on('parseComplete', this.onParseComplete);
    (Query.prototype as unknown as { prepare(c: Connection): void }).prepare.call(this, connection);
  }

  handleReadyForQuery(connection: unknown): void {
    this.settleParses(true);
    // The leading statements' CommandCompletes made the results an array: the caller asked for its own.
    const self = this as unknown as { _results: unknown };
    if (Array.isArray(self._results)) self._results = self._results[self._results.length - 1];
    (Query.prototype as unknown as { handleReadyForQuery(c: unknown): void }).handleReadyForQuery.call(this, connection);
  }

  handleError(err: Error, connection: unknown): void {
    this.settleParses(false);
    (Query.prototype as unknown as { handleError(e: Error, c: unknown): void }).handleError.call(this, err, connection);
  }

  /**
   * Leading named statements are parsed once per connection, as pg does for the caller's: on success each is
   * recorded parsed; after an error only those whose ParseComplete arrived (messages are answered in order,
   * and nothing after a failure runs), the others are forgotten so that their next use parses them again. The
   * same for the caller's own, which pg would otherwise take for parsed on a leading statement's ParseComplete.
   */
  private settleParses(ok: boolean): void {
    const con = this.connection;
    if (!con || !(this.parses.some(Boolean) || this.ownParse)) return;
    con.removeListener('parseComplete', this.onParseComplete);
    // pg records the caller's name as parsed on the first ParseComplete of the round trip, a leading one's too.
    const name = (this as unknown as { name?: string }).name!;
    if (!ok && this.ownParse && this.confirmed <= this.parses.length) delete con.parsedStatements[name];
    // The leading statements' ParseCompletes come first, in the order of their Parses.
    this.parses.forEach((leading, i) => {
      if (!leading) return;
      delete con.submittedNamedStatements[leading];
      if (ok || i < this.confirmed) con.parsedStatements[leading] = this.leading.find((s) => s.name === leading)!.text;
    });
    this.parses = [];
  }
}

interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  on(event: string, fn: (msg: unknown) => void): void;
  removeListener(event: string, fn: (msg: unknown) => void): void;
}

/**
 * A pg client that sends statements in front of the next one instead of alone. TypeORM awaits `START
 * TRANSACTION` before the first statement, one round trip that carries nothing: here it only marks BEGIN as
 * due, and the next statement goes out as Parse/Bind/Execute of BEGIN followed by its own messages and one
 * Sync (one socket write, one round trip); a COMMIT or ROLLBACK with nothing before it costs nothing. The same
 * carries statements marked `sendWithNext` (the outbox's INSERT) in front of the transaction's next statement,
 * usually its COMMIT. A plain-text statement holding several (`RELEASE SAVEPOINT a; SAVEPOINT a`) cannot carry
 * others: what waits goes out first, in a round trip of its own. Each round trip costs both processes a
 * wake-up and the caller its wait (BENCHMARKS.md); a one-row outbox transaction is now one round trip, a
 * status change two (`execWithNext` sends its UPDATE with the outbox INSERT and the COMMIT).
 *
 * Semantics do not change: every statement runs inside the transaction, in the order the caller issued them
 * (a failure leaves it aborted, and the caller's ROLLBACK follows as usual); only the moment they reach the
 * server moves, and the error of a statement sent with the next one is that next one's. Used as the pool's
 * `Client` (data-source-options.ts).
 */
export class BeginWithFirstStatementClient extends Client {
  private beginDue = false;
  /** Statements marked `sendWithNext`, in the order they were issued. */
  private waiting: Leading[] = [];
  private releaseFn?: unknown;
  /** The server's transaction status from its last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' in a failed one. */
  private serverStatus = 'I';

  constructor(...args: ConstructorParameters<typeof Client>) {
    super(...args);
    (this as unknown as { connection: PgConnection }).connection.on('readyForQuery', (msg: unknown) => {
      this.serverStatus = (msg as { status: string }).status;
    });
  }

  /**
   * The pool hands this client out by setting its `release`: a transaction marked due and never ended (a
   * caller that released without COMMIT or ROLLBACK) must not put a BEGIN, or its statements, in front of the
   * next user's query.
   */
  get release(): unknown {
    return this.releaseFn;
  }

  set release(fn: unknown) {
    this.beginDue = false;
    this.waiting = [];
    this.releaseFn = fn;
  }

  // The overloads of pg's Client#query are many; every form funnels through this one.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args as [string | QueryConfig | { submit?: unknown }, unknown, Callback | undefined];
    const text = typeof config === 'string' ? config : (config as QueryConfig | undefined)?.text;
    const submittable = typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';
    if (submittable || typeof text !== 'string') return (super.query as (...a: unknown[]) => unknown)(...args) as never;
    const params = Array.isArray(values) ? values : typeof config === 'object' ? (config as QueryConfig).values : undefined;
    const cb = typeof values === 'function' ? (values as Callback) : callback;

    if (text.startsWith(SEND_WITH_NEXT)) return this.hold(text, (config as QueryConfig).name, params, cb) as never;
    if (START.test(text) && !this.beginDue && this.waiting.length === 0) {
      this.beginDue = true;
      return answer(cb, { command: 'BEGIN', rowCount: null, rows: [], fields: [] }) as never;
    }
    if (ANY_ROLLBACK.test(text)) this.waiting = [];
    if (!this.beginDue && this.waiting.length === 0) return (super.query as (...a: unknown[]) => unknown)(...args) as never;

    const leading = [...(this.beginDue ? [BEGIN] : []), ...this.waiting];
    this.beginDue = false;
    this.waiting = [];
    // A transaction that ran nothing: neither its BEGIN nor its end needs the server.
    if (leading.length === 1 && leading[0] === BEGIN && COMMIT_OR_ROLLBACK.test(text))
      return answer(cb, { command: text.trim().split(/\s|;/)[0].toUpperCase(), rowCount: null, rows: [], fields: [] }) as never;
    const queryConfig: QueryConfig = typeof config === 'string' ? { text } : (config as QueryConfig);
    if ((params && params.length > 0) || ONE_STATEMENT.test(text)) return this.send(new WithLeading(leading, queryConfig, params, cb)) as never;
    // Several statements in one text, which the extended protocol refuses: what waits first, in a round trip
    // of its own, then the text (handing pg a query while one runs is deprecated).
    const first = this.send(new WithLeading(leading.slice(0, -1), leading[leading.length - 1], undefined, undefined))!;
    const rest = first.then(() => (super.query as (...a: unknown[]) => Promise<unknown>)(text));
    if (!cb) return rest as never;
    rest.then(
      (res) => cb(undefined, res),
      (err: Error) => cb(err),
    );
    return undefined as never;
  }

  /** Keeps a statement for the next one; its values are mapped now, so that a value that cannot be sent fails here, in place. */
  private hold(text: string, name: string | undefined, values: unknown[] | undefined, cb: Callback | undefined): Promise<unknown> | undefined {
    try {
      // Outside a transaction nothing is sure to follow: the pool would take the client back with it waiting.
      if (!this.beginDue && this.serverStatus === 'I') throw new Error('sendWithNext needs a transaction: nothing may follow this statement outside one');
      this.waiting.push({ text: text.slice(SEND_WITH_NEXT.length), name, values: (values ?? []).map((v) => prepareValue(v)) });
    } catch (err) {
      if (cb) {
        process.nextTick(() => cb(err as Error));
        return undefined;
      }
      return Promise.reject(err);
    }
    return answer(cb, { command: 'INSERT', rowCount: null, rows: [], fields: [] });
  }

  /** Submits a prepared Query like Client#query does for its own, answering a promise when no callback was given. */
  private send(query: WithLeading): Promise<QueryResult> | undefined {
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
function answer(cb: Callback | undefined, result: Partial<QueryResult>): Promise<unknown> | undefined {
  if (cb) {
    process.nextTick(() => cb(undefined, result));
    return undefined;
  }
  return Promise.resolve(result);
}
