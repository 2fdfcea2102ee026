import { DomainError } from '@app/shared/errors/domain-error';
import type { Db } from '@app/shared/db/sql';
import { ContractEventRepository, ContractEventRow, EventWithDetails } from '../contract-event.repository';

/** The tenant's event, locked for the transaction, at the version the caller read (stale → 409). */
export async function lockEvent(tx: Db, events: ContractEventRepository, tenantId: string, id: string, expectedVersion?: number): Promise<ContractEventRow>;
export async function lockEvent(
  tx: Db,
  events: ContractEventRepository,
  tenantId: string,
  id: string,
  expectedVersion: number | undefined,
  opts: { withAssignees: true; withNextVisitPlace?: boolean },
): Promise<EventWithDetails>;
export async function lockEvent(
  tx: Db,
  events: ContractEventRepository,
  tenantId: string,
  id: string,
  expectedVersion?: number,
  opts: { withAssignees?: boolean; withNextVisitPlace?: boolean } = {},
): Promise<ContractEventRow> {
  const e = opts.withAssignees
    ? await events.findWithDetails(tx, tenantId, id, { lock: true, nextVisitPlace: opts.withNextVisitPlace })
    : await events.findById(tx, tenantId, id, { lock: true });
  if (!e) throw DomainError.notFound('event', id);
  if (expectedVersion !== undefined && e.version !== expectedVersion) throw DomainError.versionConflict(expectedVersion, e.version);
  return e;
}
