import { DomainError } from '@app/shared/errors/domain-error';
import type { Db } from '@app/shared/db/sql';
import { ContractRepository, ContractRow } from '../contract.repository';

/** The tenant's contract, locked for the rest of the transaction; another tenant's id is NOT_FOUND. */
export async function lockContract(tx: Db, contracts: ContractRepository, tenantId: string, id: string): Promise<ContractRow> {
  const c = await contracts.findById(tx, tenantId, id, { lock: true });
  if (!c) throw DomainError.notFound('contract', id);
  return c;
}

export function requireStatus(c: ContractRow, allowed: string[], action: string): void {
  if (!allowed.includes(c.status)) {
    throw DomainError.rule(`a ${c.status} contract cannot be ${action}`, { status: c.status, allowed });
  }
}
