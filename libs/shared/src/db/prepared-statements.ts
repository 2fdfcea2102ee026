import { createHash } from 'node:crypto';
import { DatabaseError } from 'pg';
import type { QueryConfig } from 'pg';
import { BeginWithFirstStatementClient } from './begin-with-first-statement';

/** Named statements a connection keeps at most (asyncpg's default cache holds 100). */
export const MAX_PREPARED_PER_CONNECTION = 64;
/** Texts remembered while waiting for their second use. */
const CANDIDATES = 256;

/**
 * Which statement texts a connection prepares: a parameterised text is named on its second use (a one-off
 * text, such as an IN list of some length, never takes a slot), up to MAX_PREPARED_PER_CONNECTION names,
 * kept for the connection's life. Bounded without eviction, so no DEALLOCATE has to be slipped between a
 * caller's statements; the hot statements of a service are few and are the first seen twice.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Set<string>();

  /** The name to run `text` under, or undefined to run it unnamed (parsed and planned again). */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_PREPARED_PER_CONNECTION) return known;
    if (!this.seen.has(text)) {
      if (this.seen.size >= CANDIDATES) this.seen.delete(this.seen.values().next().value!);
      this.seen.add(text);
      return undefined;
    }
    this.seen.delete(text);
    const name = `cn_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * The services' pool client: BEGIN with the first statement (BeginWithFirstStatementClient), and the
 * parameterised statements a connection runs again prepared once (a named statement: Postgres skips parse
 * and plan on later runs). Parse and plan were about a third of Postgres's CPU for a one-row outbox
 * transaction here (~300 → ~200 µs per BEGIN/INSERT/COMMIT, BENCHMARKS.md). Like any driver that prepares
 * (JDBC after five runs, asyncpg, postgres.js), Postgres may switch a statement to its generic plan after
 * five runs (plan_cache_mode = auto): a statement that needs a value-specific plan (a partial index on one
 * status) inlines that value. The generic plan is chosen against the first runs' custom plans and kept until
 * an ANALYZE: a statement over a table that grows fast from empty (a queue's claim) sets
 * `plan_cache_mode = force_custom_plan` for its transaction (the JTD claim: a seq scan chosen while the table
 * was small had it read 28,000 jobs a claim). A named statement without parameters has one plan whatever the
 * setting (this client names only statements with parameters).
 */
export class PreparingClient extends BeginWithFirstStatementClient {
  readonly statements = new StatementNames();
  /** Names pg closed on the server after a value failed to serialise (see `query`). */
  private readonly closed = new Set<string>();

  override query(...args: unknown[]): never {
    const [config, values, callback] = args as [string | QueryConfig | { submit?: unknown }, unknown, unknown];
    const named = this.withName(config, values);
    if (!named) return (super.query as (...a: unknown[]) => never)(...args);
    const name = named.name!;
    // A value that fails to serialise makes pg send Close for the statement (Query#prepare) yet keep it as
    // parsed: forget it before its next use, once this query's answers (a late ParseComplete) are in.
    if (this.closed.delete(name)) forget(this, name);
    const cb = (typeof values === 'function' ? values : callback) as ((err: Error | null, res?: unknown) => void) | undefined;
    const notice = (err: unknown) => {
      if (err && !(err instanceof DatabaseError)) this.closed.add(name);
    };
    if (cb) return (super.query as (...a: unknown[]) => never)(named, (err: Error | null, res?: unknown) => (notice(err), cb(err, res)));
    return (super.query as (...a: unknown[]) => Promise<unknown>)(named).catch((err: unknown) => {
      notice(err);
      throw err;
    }) as never;
  }

  /** The query as a named config, when it is a parameterised text this connection prepares. */
  private withName(config: string | QueryConfig | { submit?: unknown }, values: unknown): QueryConfig | undefined {
    if (config === null || (typeof config === 'object' && (typeof (config as { submit?: unknown }).submit === 'function' || (config as QueryConfig).name)))
      return undefined;
    const text = typeof config === 'string' ? config : (config as QueryConfig).text;
    const params = Array.isArray(values) ? values : typeof config === 'object' ? (config as QueryConfig).values : undefined;
    if (typeof text !== 'string' || !params || params.length === 0) return undefined;
    const name = this.statements.nameFor(text);
    if (!name) return undefined;
    return typeof config === 'string' ? { text, values: params, name } : { ...(config as QueryConfig), values: params, name };
  }
}

/** Makes pg parse `name` again on its next use (its per-connection record of parsed statements: pg internals, checked with RELIES_ON in begin-with-first-statement.ts). */
function forget(client: PreparingClient, name: string): void {
  const connection = (client as unknown as { connection: { parsedStatements: Record<string, string>; submittedNamedStatements: Record<string, string> } })
    .connection;
  delete connection.parsedStatements[name];
  delete connection.submittedNamedStatements[name];
}
