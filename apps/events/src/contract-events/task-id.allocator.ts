import { Sql, sql } from '@app/shared/db/sql';

/**
 * TaskIDs (`TSK-00001`), per tenant, gap-free. The counter row is bumped by N with one upsert inside the
 * caller's transaction (in the statement that inserts the events, ContractEventRepository.insertNumbered,
 * or just before the chunks of an activation, reserveTaskNumbers): a concurrent activation waits on the row
 * lock until this one commits or rolls back (and a rollback returns the numbers), unlike the system we
 * replace, which read its counter without a lock.
 */

/**
 * The counter bump (without RETURNING), for a statement that reserves and uses the numbers at once;
 * `last_value` afterwards is the last number reserved.
 */
export function reserveTaskNumbers(tenantId: string, count: number): Sql {
  return sql`INSERT INTO task_counters (tenant_id, last_value) VALUES (${tenantId}, ${count})
    ON CONFLICT (tenant_id) DO UPDATE SET last_value = task_counters.last_value + EXCLUDED.last_value`;
}

export function formatTaskId(n: number): string {
  return `TSK-${String(n).padStart(5, '0')}`;
}

/** formatTaskId in SQL, for a bigint expression (at least five digits, never cut). */
export function taskIdOf(n: Sql): Sql {
  return sql`'TSK-' || lpad((${n})::text, greatest(5, length((${n})::text)), '0')`;
}

/** The `count` TaskIDs of a block whose last number is `last`, in order. */
export function taskIdsEndingAt(last: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => formatTaskId(last - count + 1 + i));
}
