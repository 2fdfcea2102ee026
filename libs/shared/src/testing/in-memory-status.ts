import type { Db } from '../db/sql';
import { LoadedFlow, StatusFlowSource } from '../status-machine/status-flow.store';
import { HistoryRow, HistoryTable, StatusHistoryWriter } from '../status-machine/status-history';
import { StatusFlow } from '../status-machine/status-machine';

/**
 * Status flows in memory, with the tables' tenant fallback (a tenant's flow of a machine replaces the
 * system one as a whole), for unit tests of anything that loads flows through a `StatusFlowSource`.
 */
export class InMemoryStatusFlows implements StatusFlowSource {
  private readonly system = new Map<string, StatusFlow>();
  private readonly tenants = new Map<string, StatusFlow>();

  setSystem(machine: string, flow: StatusFlow): this {
    this.system.set(machine, flow);
    return this;
  }

  setTenant(tenantId: string, machine: string, flow: StatusFlow): this {
    this.tenants.set(`${tenantId}:${machine}`, flow);
    return this;
  }

  async loadMany(tenantId: string, machines: readonly string[], _db?: Db): Promise<Map<string, LoadedFlow>> {
    const out = new Map<string, LoadedFlow>();
    for (const machine of machines) {
      const own = this.tenants.get(`${tenantId}:${machine}`);
      const flow = own ?? this.system.get(machine) ?? { statuses: [], transitions: [] };
      out.set(machine, { flow: structuredClone(flow), isTenantOverride: !!own, tenantSources: own ? ['tenant'] : [] });
    }
    return out;
  }
}

/** The status kit's history writer in unit tests: keeps the rows instead of inserting them. */
export class InMemoryStatusHistory extends StatusHistoryWriter {
  readonly rows: HistoryRow[] = [];

  constructor(readonly table: HistoryTable = { table: 'status_history', subjectColumn: 'subject_id' }) {
    super();
  }

  async write(_tx: Db, rows: readonly HistoryRow[]): Promise<void> {
    this.rows.push(...rows);
  }
}
