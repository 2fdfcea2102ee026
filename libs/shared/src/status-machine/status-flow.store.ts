import { DataSource, EntityManager, IsNull } from 'typeorm';
import { StatusDefinitionEntity, StatusTransitionEntity } from './status-flow.entities';
import { assertValidFlow, Enforcement, StatusFlow, StatusMachine } from './status-machine';

export interface LoadedFlow {
  flow: StatusFlow;
  /** True when the tenant has its own rows for this machine. */
  isTenantOverride: boolean;
}

/**
 * Loads and saves status flows with tenant fallback. Every service that owns a status machine uses this
 * over its own schema's `status_definitions` / `status_transitions` tables.
 */
export class StatusFlowStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(tenantId: string, machine: string, tx: EntityManager = this.dataSource.manager): Promise<LoadedFlow> {
    const own = await this.read(tx, tenantId, machine);
    if (own.statuses.length > 0) return { flow: own, isTenantOverride: true };
    return { flow: await this.read(tx, null, machine), isTenantOverride: false };
  }

  async machine(tenantId: string, machine: string, enforcement: Enforcement, tx?: EntityManager): Promise<StatusMachine> {
    const { flow } = await this.load(tenantId, machine, tx);
    if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${machine}`);
    return new StatusMachine(flow, enforcement);
  }

  /** Replaces the tenant's flow for a machine as a whole (validated first). */
  async replace(tenantId: string, machine: string, flow: StatusFlow, source = 'tenant', tx?: EntityManager): Promise<void> {
    assertValidFlow(flow);
    const work = async (m: EntityManager) => {
      await this.remove(m, tenantId, machine);
      await this.insert(m, tenantId, machine, flow, source);
    };
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  /** Drops the tenant's override; the system defaults apply again. */
  async reset(tenantId: string, machine: string, tx?: EntityManager): Promise<void> {
    const work = (m: EntityManager) => this.remove(m, tenantId, machine);
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  /** Copies the system defaults into the tenant's scope unless it has its own rows (idempotent). */
  async seedTenant(tenantId: string, machine: string, tx: EntityManager): Promise<void> {
    const own = await tx.count(StatusDefinitionEntity, { where: { tenantId, machine } });
    if (own > 0) return;
    const defaults = await this.read(tx, null, machine);
    if (defaults.statuses.length > 0) await this.insert(tx, tenantId, machine, defaults, 'system');
  }

  /** Writes the system defaults of a machine (tenant null), replacing what was there. */
  async upsertSystemFlow(machine: string, flow: StatusFlow, tx?: EntityManager): Promise<void> {
    assertValidFlow(flow);
    const work = async (m: EntityManager) => {
      await m.delete(StatusTransitionEntity, { tenantId: IsNull(), machine });
      await m.delete(StatusDefinitionEntity, { tenantId: IsNull(), machine });
      await this.insert(m, null, machine, flow, 'system');
    };
    return tx ? work(tx) : this.dataSource.transaction(work);
  }

  private async read(m: EntityManager, tenantId: string | null, machine: string): Promise<StatusFlow> {
    const tenant = tenantId === null ? IsNull() : tenantId;
    // One after the other: inside a transaction `m` is a single connection, where pg refuses to overlap queries.
    const statuses = await m.find(StatusDefinitionEntity, { where: { tenantId: tenant, machine }, order: { order: 'ASC' } });
    const transitions = await m.find(StatusTransitionEntity, { where: { tenantId: tenant, machine } });
    return {
      statuses: statuses.map((s) => ({
        code: s.code,
        label: s.label,
        color: s.color,
        icon: s.icon,
        order: s.order,
        isInitial: s.isInitial,
        isTerminal: s.isTerminal,
        category: s.category,
      })),
      transitions: transitions.map((t) => ({
        from: t.fromStatus,
        to: t.toStatus,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        isAutomatic: t.isAutomatic,
      })),
    };
  }

  private async remove(m: EntityManager, tenantId: string, machine: string) {
    await m.delete(StatusTransitionEntity, { tenantId, machine });
    await m.delete(StatusDefinitionEntity, { tenantId, machine });
  }

  private async insert(m: EntityManager, tenantId: string | null, machine: string, flow: StatusFlow, source: string) {
    if (flow.statuses.length > 0) {
      await m.insert(
        StatusDefinitionEntity,
        flow.statuses.map((s) => ({
          tenantId,
          machine,
          code: s.code,
          label: s.label,
          color: s.color ?? null,
          icon: s.icon ?? null,
          order: s.order,
          isInitial: s.isInitial,
          isTerminal: s.isTerminal,
          category: s.category ?? null,
          source,
        })),
      );
    }
    if (flow.transitions.length > 0) {
      await m.insert(
        StatusTransitionEntity,
        flow.transitions.map((t) => ({
          tenantId,
          machine,
          fromStatus: t.from,
          toStatus: t.to,
          requiresReason: t.requiresReason,
          requiresEvidence: t.requiresEvidence,
          isAutomatic: t.isAutomatic ?? false,
        })),
      );
    }
  }
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
