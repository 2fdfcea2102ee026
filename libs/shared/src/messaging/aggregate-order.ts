import { Logger } from '@nestjs/common';
import { Db, exec, one, sql } from '../db/sql';
import { Envelope } from './envelope';

/**
 * How many times in a row an event that is ahead of its aggregate's next version waits (one first-stage retry
 * delay each) without the aggregate moving on. Producers may skip versions (a change that emits no event), so
 * after this the event is applied and the gap accepted.
 */
export const MAX_ORDER_DEFERRALS = 5;

/**
 * Where a deferred event stands: its deferrals since the aggregate last moved, and the version applied at the
 * latest one. Counting only deferrals without progress keeps a chain of versions in flight (each waiting for
 * the one before, two replicas handing them round) from being taken for a gap: counting every deferral, two
 * replicas under a loaded CI once applied a version while its predecessor was still going round, which was
 * then stale (99 of 100 applied).
 */
export interface OrderWait {
  deferrals: number;
  behind: number;
}

export const NOT_DEFERRED: OrderWait = { deferrals: 0, behind: 0 };

/** Thrown inside the handling transaction: the event goes back through the first retry stage, carrying its wait. */
export class DeferForOrder extends Error {
  constructor(readonly wait: OrderWait) {
    super(`deferred behind version ${wait.behind}`);
  }
}

const logger = new Logger('EventConsumer');

/**
 * For `ordered` handlers: true to apply (the version is remembered), false for a stale event (an equal or
 * newer version was applied already). Throws DeferForOrder when versions are missing in between and it may
 * still wait for them (MAX_ORDER_DEFERRALS deferrals without progress). The row lock serialises concurrent
 * deliveries of one aggregate.
 */
export async function checkAggregateOrder(tx: Db, consumer: string, env: Envelope, wait: OrderWait): Promise<boolean> {
  const version = env.aggregateVersion!;
  await exec(
    tx,
    sql`INSERT INTO inbox_aggregate_versions (consumer, aggregate_id, last_version) VALUES (${consumer}, ${env.aggregateId}, 0) ON CONFLICT DO NOTHING`,
  );
  const row = await one<{ lastVersion: string | number }>(
    tx,
    sql`SELECT last_version AS "lastVersion" FROM inbox_aggregate_versions WHERE consumer = ${consumer} AND aggregate_id = ${env.aggregateId} FOR UPDATE`,
  );
  const last = Number(row.lastVersion);
  if (version <= last) return false;
  const stalled = last > wait.behind ? 0 : wait.deferrals;
  if (version > last + 1 && stalled < MAX_ORDER_DEFERRALS) throw new DeferForOrder({ deferrals: stalled + 1, behind: last });
  if (version > last + 1) logger.warn(`${env.type} ${env.id}: versions ${last + 1}..${version - 1} of ${env.aggregateId} never arrived; applying ${version}`);
  await exec(
    tx,
    sql`UPDATE inbox_aggregate_versions SET last_version = ${version}, updated_at = now() WHERE consumer = ${consumer} AND aggregate_id = ${env.aggregateId}`,
  );
  return true;
}
