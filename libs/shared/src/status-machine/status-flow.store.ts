import { DataSource } from 'typeorm';
import { transactionLock } from '../db/advisory-lock';
import { Db, exec, many, sql } from '../db/sql';
import { assertValidFlow, Enforcement, StatusFlow, StatusMachine } from './status-machine';

export interface LoadedFlow {
  flow: StatusFlow;
  /** True when the tenant has its own rows for this machine. */
  isTenantOverride: boolean;
  /** Distinct `source` values of the tenant's own rows (empty when the system defaults apply). */
  tenantSources: string[];
}

/** Where flows are read from: the tables (StatusFlowStore), or memory in unit tests (InMemoryStatusFlows). */
export interface StatusFlowSource {
  loadMany(tenantId: string, machines: readonly string[], db?: Db): Promise<Map<string, LoadedFlow>>;
}

export interface StatusFlowStoreOptions {
  /** Called inside the transaction of every write of a tenant's flow (to drop cached copies: TenantFlowCache.changed). */
  onChange?: (tx: Db, tenantId: string, machine: string) => void;
}

/**
 * Loads and saves status flows with tenant fallback. Every service that owns a status machine uses this
 * over its own schema's `status_definitions` / `status_transitions` tables.
 */
export class StatusFlowStore implements StatusFlowSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: StatusFlowStoreOptions = {},
  ) {}

  async load(tenantId: string, machine: string, db: Db = this.dataSource.manager): Promise<LoadedFlow> {
    return (await this.loadMany(tenantId, [machine], db)).get(machine)!;
  }

  /**
   * Several machines of one tenant in two queries (statuses, transitions), whatever their number. Per
   * machine, the tenant's rows replace the system defaults as a whole: a machine for which the tenant has
   * no status falls back to the system rows, statuses and transitions alike.
   */
  async loadMany(tenantId: string, machines: readonly string[], db: Db = this.dataSource.manager): Promise<Map<string, LoadedFlow>> {
    // One after the other: inside a transaction `db` is a single connection, where pg refuses to overlap queries.
    const statuses = await many<StatusRow>(
      db,
      sql`SELECT tenant_id IS NOT NULL AS own, machine, code, label, color, icon, display_order AS "order", is_initial AS "isInitial",
              is_terminal AS "isTerminal", category, source
       FROM status_definitions WHERE (tenant_id = ${tenantId} OR tenant_id IS NULL) AND machine = ANY(${sql.array(machines, 'text')}) ORDER BY display_order, code`,
    );
    const transitions = await many<TransitionRow>(
      db,
      sql`SELECT tenant_id IS NOT NULL AS own, machine, from_status AS "from", to_status AS "to", requires_reason AS "requiresReason",
              requires_evidence AS "requiresEvidence", is_automatic AS "isAutomatic"
       FROM status_transitions WHERE (tenant_id = ${tenantId} OR tenant_id IS NULL) AND machine = ANY(${sql.array(machines, 'text')})`,
    );
    const tenantHasOwn = new Set(statuses.filter((s) => s.own).map((s) => s.machine));
    const out = new Map<string, LoadedFlow>();
    for (const machine of machines) {
      const own = tenantHasOwn.has(machine);
      const mine = statuses.filter((s) => s.machine === machine && s.own === own);
      out.set(machine, {
        flow: {
          statuses: mine.map((s) => ({
            code: s.code,
            label: s.label,
            color: s.color,
            icon: s.icon,
            order: s.order,
            isInitial: s.isInitial,
            isTerminal: s.isTerminal,
            category: s.category,
          })),
          transitions: transitions
            .filter((t) => t.machine === machine && t.own === own)
            .map((t) => ({ from: t.from, to: t.to, requiresReason: t.requiresReason, requiresEvidence: t.requiresEvidence, isAutomatic: t.isAutomatic })),
        },
        isTenantOverride: own,
        tenantSources: own ? [...new Set(mine.map((s) => s.source))] : [],
      });
    }
    return out;
  }

  async machine(tenantId: string, machine: string, enforcement: Enforcement, db?: Db): Promise<StatusMachine> {
    const { flow } = await this.load(tenantId, machine, db);
    if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${machine}`);
    return new StatusMachine(flow, enforcement);
  }

  /** Replaces the tenant's flow for a machine as a whole (validated first). */
  async replace(tenantId: string, machine: string, flow: StatusFlow, source = 'tenant', tx?: Db): Promise<void> {
    assertValidFlow(flow);
    const work = async (m: Db) => {
      await this.lock(m, tenantId, machine);
      await this.remove(m, tenantId, machine);
      await this.insert(m, tenantId, machine, flow, source);
    };
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  /** Drops the tenant's override; the system defaults apply again. */
  async reset(tenantId: string, machine: string, tx?: Db): Promise<void> {
    const work = async (m: Db) => {
      await this.lock(m, tenantId, machine);
      await this.remove(m, tenantId, machine);
    };
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  /** Copies the system defaults into the tenant's scope unless it has its own rows (idempotent). */
  async seedTenant(tenantId: string, machine: string, tx: Db): Promise<void> {
    await this.lock(tx, tenantId, machine);
    const { flow: defaults, isTenantOverride } = await this.load(tenantId, machine, tx);
    if (isTenantOverride) return;
    if (defaults.statuses.length > 0) await this.insert(tx, tenantId, machine, defaults, 'system');
  }

  /** Writes the system defaults of a machine (tenant null), replacing what was there. */
  async upsertSystemFlow(machine: string, flow: StatusFlow, tx?: Db): Promise<void> {
    assertValidFlow(flow);
    const work = async (m: Db) => {
      await exec(m, sql`DELETE FROM status_transitions WHERE tenant_id IS NULL AND machine = ${machine}`);
      await exec(m, sql`DELETE FROM status_definitions WHERE tenant_id IS NULL AND machine = ${machine}`);
      await this.insert(m, null, machine, flow, 'system');
    };
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  /**
   * One writer per tenant flow at a time, until its transaction ends: two overrides (or an override and a
   * reset) deleting and inserting the same rows at once deadlocked or collided on the unique codes.
   */
  private async lock(m: Db, tenantId: string, machine: string) {
    this.options.onChange?.(m, tenantId, machine);
    await transactionLock(m, `status-flow:${tenantId}:${machine}`);
  }

  private async remove(m: Db, tenantId: string, machine: string) {
    await exec(m, sql`DELETE FROM status_transitions WHERE tenant_id = ${tenantId} AND machine = ${machine}`);
    await exec(m, sql`DELETE FROM status_definitions WHERE tenant_id = ${tenantId} AND machine = ${machine}`);
  }

  private async insert(m: Db, tenantId: string | null, machine: string, flow: StatusFlow, source: string) {
    const s = flow.statuses;
    if (s.length > 0) {
      await exec(
        m,
        sql`INSERT INTO status_definitions (tenant_id, machine, code, label, color, icon, display_order, is_initial, is_terminal, category, source)
         SELECT ${tenantId}::uuid, ${machine}, u.*, ${source} FROM unnest(${sql.join([
           sql.array(
             s.map((x) => x.code),
             'text',
           ),
           sql.array(
             s.map((x) => x.label),
             'text',
           ),
           sql.array(
             s.map((x) => x.color ?? null),
             'text',
           ),
           sql.array(
             s.map((x) => x.icon ?? null),
             'text',
           ),
           sql.array(
             s.map((x) => x.order),
             'int',
           ),
           sql.array(
             s.map((x) => x.isInitial),
             'boolean',
           ),
           sql.array(
             s.map((x) => x.isTerminal),
             'boolean',
           ),
           sql.array(
             s.map((x) => x.category ?? null),
             'text',
           ),
         ])}) AS u`,
      );
    }
    const t = flow.transitions;
    if (t.length > 0) {
      await exec(
        m,
        sql`INSERT INTO status_transitions (tenant_id, machine, from_status, to_status, requires_reason, requires_evidence, is_automatic)
         SELECT ${tenantId}::uuid, ${machine}, u.* FROM unnest(${sql.join([
           sql.array(
             t.map((x) => x.from),
             'text',
           ),
           sql.array(
             t.map((x) => x.to),
             'text',
           ),
           sql.array(
             t.map((x) => x.requiresReason),
             'boolean',
           ),
           sql.array(
             t.map((x) => x.requiresEvidence),
             'boolean',
           ),
           sql.array(
             t.map((x) => x.isAutomatic ?? false),
             'boolean',
           ),
         ])}) AS u`,
      );
    }
  }
}

interface StatusRow {
  own: boolean;
  machine: string;
  code: string;
  label: string;
  color: string | null;
  icon: string | null;
  order: number;
  isInitial: boolean;
  isTerminal: boolean;
  category: string | null;
  source: string;
}

interface TransitionRow {
  own: boolean;
  machine: string;
  from: string;
  to: string;
  requiresReason: boolean;
  requiresEvidence: boolean;
  isAutomatic: boolean;
}

/** DDL for the two tables, for each service's first migration. */
export const STATUS_FLOW_DDL = `
CREATE TABLE status_definitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NULL,
  machine text NOT NULL,
  code text NOT NULL,
  label text NOT NULL,
  color text NULL,
  icon text NULL,
  display_order int NOT NULL,
  is_initial boolean NOT NULL DEFAULT false,
  is_terminal boolean NOT NULL DEFAULT false,
  category text NULL,
  source text NOT NULL DEFAULT 'system'
);
CREATE UNIQUE INDEX uq_status_definitions_tenant ON status_definitions (tenant_id, machine, code) WHERE tenant_id IS NOT NULL;
CREATE UNIQUE INDEX uq_status_definitions_system ON status_definitions (machine, code) WHERE tenant_id IS NULL;
CREATE TABLE status_transitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NULL,
  machine text NOT NULL,
  from_status text NOT NULL,
  to_status text NOT NULL,
  requires_reason boolean NOT NULL DEFAULT false,
  requires_evidence boolean NOT NULL DEFAULT false,
  is_automatic boolean NOT NULL DEFAULT false,
  CHECK (from_status <> to_status)
);
CREATE UNIQUE INDEX uq_status_transitions_tenant ON status_transitions (tenant_id, machine, from_status, to_status) WHERE tenant_id IS NOT NULL;
CREATE UNIQUE INDEX uq_status_transitions_system ON status_transitions (machine, from_status, to_status) WHERE tenant_id IS NULL;
`;
