import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import type { Db } from '@app/shared/db/sql';
import { LoadedFlow, StatusFlowSource, StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { HistoryTable } from '@app/shared/status-machine/status-history';
import { StatusFlow, StatusMachine } from '@app/shared/status-machine/status-machine';
import { TenantFlowCache } from '@app/shared/status-machine/tenant-flow-cache';
import { DataSource } from 'typeorm';

export type TicketsMachine = typeof TICKET_MACHINE | typeof APPOINTMENT_MACHINE;
export const TICKETS_MACHINES: readonly TicketsMachine[] = [TICKET_MACHINE, APPOINTMENT_MACHINE];

/** A tenant's two machines, strictly enforced; `loaded` keeps what the settings routes show. */
export interface TicketMachines {
  ticket: StatusMachine;
  appointment: StatusMachine;
  loaded: Map<string, LoadedFlow>;
}

/**
 * The history of both machines, in the shape every service shares (`status_history`, subject column
 * `entity_id`), told apart by `entity_type`, which each move passes as `historyExtra`.
 */
export const TICKETS_HISTORY: HistoryTable = { table: 'status_history', subjectColumn: 'entity_id', extra: { entity_type: 'text' } };
export const TICKET_HISTORY_EXTRA = { entity_type: 'ticket' } as const;
export const APPOINTMENT_HISTORY_EXTRA = { entity_type: 'appointment' } as const;

/**
 * The ticket and appointment flows of a tenant (its rows, else the system defaults) through the shared
 * status kit: both machines in one TenantFlowCache entry (loaded in two queries), forgotten at once and
 * again after the commit of any write through the store (`onChange`), seen by other replicas within
 * TICKET_FLOW_CACHE_TTL_MS. Settings routes read the tables (`fresh`).
 */
export class TicketFlows {
  private readonly cache: TenantFlowCache<TicketMachines>;

  constructor(
    private readonly source: StatusFlowSource,
    ttlMs: number,
    private readonly store?: StatusFlowStore,
  ) {
    this.cache = new TenantFlowCache({ name: 'ticketFlows', ttlMs, load: (db, tenantId) => this.load(db, tenantId) });
  }

  /** The service's flows over its tables; unit tests build `new TicketFlows(new InMemoryStatusFlows(), 0)`. */
  static overTables(dataSource: DataSource, ttlMs: number): TicketFlows {
    const holder: { flows?: TicketFlows } = {};
    const store = new StatusFlowStore(dataSource, { onChange: (tx, tenantId) => holder.flows!.cache.changed(tx, tenantId) });
    holder.flows = new TicketFlows(store, ttlMs, store);
    return holder.flows;
  }

  /** The tenant's machines, from memory while fresh; `db` is the caller's transaction when it has one. */
  machines(db: Db, tenantId: string): Promise<TicketMachines> {
    return this.cache.get(db, tenantId);
  }

  /** The machines as the tables hold them now, seen through `db` (a transaction sees its own writes). */
  fresh(db: Db, tenantId: string): Promise<TicketMachines> {
    return this.cache.fresh(db, tenantId);
  }

  replace(tx: Db, tenantId: string, machine: TicketsMachine, flow: StatusFlow, source: string): Promise<void> {
    return this.writer().replace(tenantId, machine, flow, source, tx);
  }

  reset(tx: Db, tenantId: string, machine: TicketsMachine): Promise<void> {
    return this.writer().reset(tenantId, machine, tx);
  }

  /** Copies the system defaults of both machines into the tenant's scope unless it has its own (idempotent). */
  async seedTenant(tx: Db, tenantId: string): Promise<void> {
    for (const machine of TICKETS_MACHINES) await this.writer().seedTenant(tenantId, machine, tx);
  }

  private async load(db: Db, tenantId: string): Promise<TicketMachines> {
    const loaded = await this.source.loadMany(tenantId, TICKETS_MACHINES, db);
    const machine = (name: string) => {
      const { flow } = loaded.get(name)!;
      if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${name}`);
      return new StatusMachine(flow, 'strict');
    };
    return { ticket: machine(TICKET_MACHINE), appointment: machine(APPOINTMENT_MACHINE), loaded };
  }

  private writer(): StatusFlowStore {
    if (!this.store) throw new Error('these flows are read-only (no store to write to)');
    return this.store;
  }
}

/** Semantic status codes the effects hang on; tenant flows keep these codes (or use the matching category). */
export function isDoneStatus(machine: StatusMachine, code: string): boolean {
  return code === 'completed' || machine.status(code)?.category === 'done';
}

export function isCancelledStatus(machine: StatusMachine, code: string): boolean {
  return code === 'cancelled' || code === 'no_show' || machine.status(code)?.category === 'cancelled';
}

export function isClosedStatus(machine: StatusMachine, code: string): boolean {
  return isDoneStatus(machine, code) || isCancelledStatus(machine, code) || machine.status(code)?.isTerminal === true;
}
