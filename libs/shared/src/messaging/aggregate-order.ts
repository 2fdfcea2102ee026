import { Logger } from '@nestjs/common';
import { Db, exec, one, sql } from '../db/sql';
import { Envelope } from './envelope';

/**
 * How many times an event that is ahead of its aggregate's next version waits (one first-stage retry delay
 * each) for the missing versions. Producers may skip versions (a change that emits no event), so after this
 * the event is applied and the gap accepted.
 */
export const MAX_ORDER_DEFERRALS = 5;

/** Thrown inside the handling transaction: the event goes back through the first retry stage. */
export class DeferForOrder extends Error {}

const logger = new Logger('EventConsumer');

/**
 * For `ordered` handlers: true to apply (the version is remembered), false for a stale event (an equal or
 * newer version was applied already). Throws DeferForOrder when versions are missing in between and it may
 * still wait for them. The row lock serialises concurrent deliveries of one aggregate.
 */
export async function checkAggregateOrder(tx: Db, consumer: string, env: Envelope, deferrals: number): Promise<boolean> {
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
  if (version > last + 1 && deferrals < MAX_ORDER_DEFERRALS) throw new DeferForOrder();
  if (version > last + 1) logger.warn(`${env.type} ${env.id}: versions ${last + 1}..${version - 1} of ${env.aggregateId} never arrived; applying ${version}`);
  await exec(
    tx,
    sql`UPDATE inbox_aggregate_versions SET last_version = ${version}, updated_at = now() WHERE consumer = ${consumer} AND aggregate_id = ${env.aggregateId}`,
  );
  return true;
}
