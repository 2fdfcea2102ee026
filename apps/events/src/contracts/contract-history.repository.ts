import { Injectable } from '@nestjs/common';
import { Db, exec, many, selectList, sql } from '@app/shared/db/sql';
import { historyInsert, HistoryRow, HistoryTable } from '@app/shared/status-machine/status-history';

/** A contract's status history: the shared status history shape, subject `contract_id`. */
export const CONTRACT_HISTORY: HistoryTable = { table: 'contract_status_history', subjectColumn: 'contract_id' };

export interface ContractHistoryRow {
  id: string;
  contractId: string;
  fromStatus: string | null;
  toStatus: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  source: string;
  reason: string | null;
  secondsInPrevious: number | null;
  at: Date;
}

const COLUMNS = selectList(
  'h',
  ['id', 'contractId', 'fromStatus', 'toStatus', 'actorType', 'actorId', 'actorName', 'source', 'reason', 'secondsInPrevious', 'at'] satisfies ReadonlyArray<
    keyof ContractHistoryRow
  >,
  { id: 'h.id::text' },
);

@Injectable()
export class ContractHistoryRepository {
  /** When each contract last changed status (absent: never, since its creation). */
  async lastChanges(db: Db, tenantId: string, contractIds: string[]): Promise<Map<string, Date>> {
    if (contractIds.length === 0) return new Map();
    const rows = await many<{ contractId: string; at: Date }>(
      db,
      sql`SELECT contract_id AS "contractId", max(at) AS at FROM contract_status_history
          WHERE tenant_id = ${tenantId} AND contract_id = ANY(${sql.array(contractIds, 'uuid')}) GROUP BY contract_id`,
    );
    return new Map(rows.map((r) => [r.contractId, new Date(r.at)]));
  }

  async append(db: Db, rows: HistoryRow[]): Promise<void> {
    if (rows.length > 0) await exec(db, historyInsert(CONTRACT_HISTORY, rows));
  }

  /** Oldest first; keyset after `afterId`. */
  list(db: Db, tenantId: string, contractId: string, limit: number, afterId?: string): Promise<ContractHistoryRow[]> {
    return many(
      db,
      sql`SELECT ${COLUMNS} FROM contract_status_history h WHERE h.tenant_id = ${tenantId} AND h.contract_id = ${contractId}
          ${afterId ? sql`AND h.id > ${afterId}::bigint` : sql.empty} ORDER BY h.id LIMIT ${limit}`,
    );
  }
}
