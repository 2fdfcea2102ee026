import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * TaskIDs (`TSK-00001`), per tenant, gap-free. The counter row is bumped by N with one upsert … RETURNING
 * inside the caller's transaction: a concurrent activation waits on the row lock until this one commits
 * or rolls back (and a rollback returns the numbers), unlike the system we replace, which read its
 * counter without a lock.
 */
@Injectable()
export class TaskIdAllocator {
  async reserve(tx: EntityManager, tenantId: string, count: number): Promise<string[]> {
    if (count === 0) return [];
    const [row] = await tx.query(
      `INSERT INTO task_counters (tenant_id, last_value) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_value = task_counters.last_value + EXCLUDED.last_value
       RETURNING last_value::text AS last`,
      [tenantId, count],
    );
    const last = Number(row.last);
    return Array.from({ length: count }, (_, i) => formatTaskId(last - count + 1 + i));
  }
}

export function formatTaskId(n: number): string {
  return `TSK-${String(n).padStart(5, '0')}`;
}
