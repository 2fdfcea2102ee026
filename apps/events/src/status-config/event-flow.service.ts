import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEventType, CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { afterCommit, commitPending } from '@app/shared/db/after-commit';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { StatusFlow, StatusMachine } from '@app/shared/status-machine/status-machine';
import { EventsConfig } from '../events.config';
import { DEFAULT_SETTINGS, EventTypeSettings, machineOf } from './default-flows';
import { EventFlow } from './event-flow';

/** How many tenants' flows one process keeps (least recently loaded dropped first). */
const CACHE_MAX_TENANTS = 1000;
/** After-commit key of a transaction that changed the tenant's flows (forgotten again on commit). */
const changedKey = (tenantId: string) => `eventFlows.changed:${tenantId}`;

interface CachedFlows {
  flows: Record<ContractEventType, EventFlow>;
  loadedAt: number;
}

/**
 * The status configuration of contract events: statuses and transitions in the shared status tables
 * (machine `contract_event:<type>`, tenant rows or the system defaults), plus this service's per-type
 * settings (due lead days, moves gated on open required sub-tasks).
 *
 * Every move, activation and cockpit needs the tenant's flows, which change only through this service's
 * own settings routes (and tenant seeding), so they are kept in process per tenant. A write forgets the
 * tenant's entry at once and again when its transaction commits (a read racing the write cannot put the
 * old rows back: fills that overlap a write are not kept). Other replicas see the change when their entry
 * expires (EVENT_FLOW_CACHE_TTL_MS), and the settings routes themselves always read the tables.
 */
@Injectable()
export class EventFlowService {
  private readonly store: StatusFlowStore;
  private readonly cache = new Map<string, CachedFlows>();
  /** Bumped by every flow write: a fill that saw it change keeps its result to itself. */
  private writes = 0;
  private readonly ttlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    config: EventsConfig,
  ) {
    this.store = new StatusFlowStore(dataSource);
    this.ttlMs = config.EVENT_FLOW_CACHE_TTL_MS;
  }

  /** The tenant's flow of one type (from the process cache when fresh enough). */
  async load(m: EntityManager, tenantId: string, eventType: string): Promise<EventFlow> {
    return (await this.loadAll(m, tenantId))[eventType as ContractEventType] ?? this.unknownType(eventType);
  }

  /** The tenant's flows of every type (from the process cache when fresh enough). */
  async loadAll(m: EntityManager, tenantId: string): Promise<Record<ContractEventType, EventFlow>> {
    // A transaction that changed the tenant's flows reads its own rows, never the shared copy.
    const ownChanges = this.changedIn(m, tenantId);
    const hit = this.cache.get(tenantId);
    if (hit && !ownChanges && Date.now() - hit.loadedAt < this.ttlMs) return hit.flows;
    const writesBefore = this.writes;
    const loadedAt = Date.now();
    const flows = await this.loadAllFresh(m, tenantId);
    if (this.ttlMs > 0 && this.writes === writesBefore && !ownChanges) {
      this.cache.delete(tenantId);
      this.cache.set(tenantId, { flows, loadedAt });
      if (this.cache.size > CACHE_MAX_TENANTS) this.cache.delete(this.cache.keys().next().value!);
    }
    return flows;
  }

  /** The flow of one type as the tables hold it now, seen through `m` (a transaction sees its own writes). */
  async loadFresh(m: EntityManager, tenantId: string, eventType: string): Promise<EventFlow> {
    return (await this.loadAllFresh(m, tenantId))[eventType as ContractEventType] ?? this.unknownType(eventType);
  }

  /** Three queries for the three types: statuses, transitions, settings. */
  private async loadAllFresh(m: EntityManager, tenantId: string): Promise<Record<ContractEventType, EventFlow>> {
    const loaded = await this.store.loadMany(tenantId, CONTRACT_EVENT_TYPES.map(machineOf), m);
    const settings = await this.settings(m, tenantId);
    const out = {} as Record<ContractEventType, EventFlow>;
    for (const type of CONTRACT_EVENT_TYPES) {
      const { flow, tenantSources } = loaded.get(machineOf(type))!;
      if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${machineOf(type)}`);
      // The copy seeded from TENANT_CREATED is not an override; rows the tenant saved are.
      const isOverride = tenantSources.some((s) => s !== 'system');
      out[type] = new EventFlow(type, new StatusMachine(flow, 'strict'), settings[type], isOverride);
    }
    return out;
  }

  private unknownType(eventType: string): never {
    throw new Error(`no status flow is configured for ${machineOf(eventType)}`);
  }

  private forget(tenantId: string) {
    this.writes++;
    this.cache.delete(tenantId);
  }

  /** Forgets the tenant's flows now and once `tx` commits (until then, other connections still read the old rows). */
  private changing(tx: EntityManager, tenantId: string) {
    this.forget(tenantId);
    afterCommit(tx, changedKey(tenantId), () => this.forget(tenantId));
  }

  private changedIn(m: EntityManager, tenantId: string): boolean {
    return commitPending(m, changedKey(tenantId));
  }

  /** Replaces the tenant's flow and settings for one type (the flow is validated by the shared engine). */
  async replace(tx: EntityManager, tenantId: string, eventType: string, flow: StatusFlow, settings: EventTypeSettings): Promise<void> {
    this.changing(tx, tenantId);
    await this.store.replace(tenantId, machineOf(eventType), flow, 'tenant', tx);
    await tx.query(`DELETE FROM event_type_settings WHERE tenant_id = $1 AND event_type = $2`, [tenantId, eventType]);
    await tx.query(
      `INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source) VALUES ($1, $2, $3, $4, 'tenant')`,
      [tenantId, eventType, settings.dueLeadDays, JSON.stringify(settings.taskGatedTransitions)],
    );
  }

  /** Back to the system defaults: drop the tenant's rows, then copy the defaults again (as seeding does). */
  async reset(tx: EntityManager, tenantId: string, eventType: string): Promise<void> {
    this.changing(tx, tenantId);
    await this.store.reset(tenantId, machineOf(eventType), tx);
    await tx.query(`DELETE FROM event_type_settings WHERE tenant_id = $1 AND event_type = $2`, [tenantId, eventType]);
    await this.seedType(tx, tenantId, eventType);
  }

  /** Copies the system defaults of every type into the tenant's scope, unless it has its own (idempotent). */
  async seedTenant(tx: EntityManager, tenantId: string): Promise<void> {
    this.changing(tx, tenantId);
    for (const type of CONTRACT_EVENT_TYPES) await this.seedType(tx, tenantId, type);
  }

  private async seedType(tx: EntityManager, tenantId: string, eventType: string) {
    // Serialises concurrent seeding of one tenant (redelivered TENANT_CREATED racing a reset).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`event-flow-seed:${tenantId}`]);
    await this.store.seedTenant(tenantId, machineOf(eventType), tx);
    await tx.query(
      `INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source)
       SELECT $1, event_type, due_lead_days, task_gated_transitions, 'system' FROM event_type_settings WHERE tenant_id IS NULL AND event_type = $2
       ON CONFLICT (tenant_id, event_type) WHERE tenant_id IS NOT NULL DO NOTHING`,
      [tenantId, eventType],
    );
  }

  private async settings(m: EntityManager, tenantId: string): Promise<Record<ContractEventType, EventTypeSettings>> {
    // Per type, the tenant's row else the system row else the built-in defaults.
    const rows: Array<{ event_type: ContractEventType; due_lead_days: number; task_gated_transitions: EventTypeSettings['taskGatedTransitions'] }> =
      await m.query(
        `SELECT DISTINCT ON (event_type) event_type, due_lead_days, task_gated_transitions FROM event_type_settings
         WHERE (tenant_id = $1 OR tenant_id IS NULL) AND event_type = ANY($2::text[])
         ORDER BY event_type, tenant_id NULLS LAST`,
        [tenantId, CONTRACT_EVENT_TYPES],
      );
    const out = { ...DEFAULT_SETTINGS };
    for (const r of rows) out[r.event_type] = { dueLeadDays: r.due_lead_days, taskGatedTransitions: r.task_gated_transitions };
    return out;
  }
}
