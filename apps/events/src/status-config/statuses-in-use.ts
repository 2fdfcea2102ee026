import { EntityManager } from 'typeorm';
import { DomainError } from '@app/shared/errors/domain-error';

/** Refuses a flow change that would strand events in a status the new flow does not have. */
export async function assertStatusesKept(tx: EntityManager, tenantId: string, eventType: string, codes: Set<string>): Promise<void> {
  const inUse: Array<{ status: string; n: number }> = await tx.query(
    `SELECT status, count(*)::int AS n FROM contract_events WHERE tenant_id = $1 AND event_type = $2 GROUP BY status`,
    [tenantId, eventType],
  );
  const dropped = inUse.filter((u) => !codes.has(u.status));
  if (dropped.length > 0) {
    throw DomainError.rule(`statuses still held by events cannot be removed: ${dropped.map((d) => `${d.status} (${d.n})`).join(', ')}`, {
      statusesInUse: dropped.map((d) => d.status),
    });
  }
}
