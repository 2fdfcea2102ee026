import { DataSource } from 'typeorm';
import { Db, exec, one, sql } from './sql';

/**
 * Advisory locks, one style for every service: transaction-scoped (released by COMMIT or ROLLBACK, and by
 * the connection dropping, so a crashed replica never leaves one behind), keyed by text hashed with
 * Postgres's `hashtext`. Keys read `<purpose>:<scope…>`, e.g. `event-scheduler:<tenantId>`.
 */

/** Takes the lock for the rest of `tx`, or answers false at once when another transaction holds it. */
export async function tryTransactionLock(tx: Db, key: string): Promise<boolean> {
  const { locked } = await one<{ locked: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(hashtext(${key})) AS locked`);
  return locked;
}

/** Takes the lock for the rest of `tx`, waiting for whoever holds it. */
export async function transactionLock(tx: Db, key: string): Promise<void> {
  await exec(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
}

/**
 * Runs `fn` only if no other replica runs it under the same key: a transaction of its own holds the lock
 * (and nothing else) while `fn` works on other connections, so `fn`'s statements commit as they go.
 * Answers `{ ran: false }` when another replica holds the key.
 */
export async function runExclusively<T>(dataSource: DataSource, key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  return dataSource.transaction(async (tx) => {
    if (!(await tryTransactionLock(tx, key))) return { ran: false as const };
    return { ran: true as const, value: await fn() };
  });
}
