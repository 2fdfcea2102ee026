import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContractEventType, CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { transactionLock } from '@app/shared/db/advisory-lock';
import { Db, exec, many, sql } from '@app/shared/db/sql';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { StatusFlow, StatusMachine } from '@app/shared/status-machine/status-machine';
import { TenantFlowCache } from '@app/shared/status-machine/tenant-flow-cache';
import { EventsConfig } from '../events.config';
import { DEFAULT_SETTINGS, EventTypeSettings, machineOf } from './default-flows';
import { EventFlow } from './event-flow';

export type EventFlows = Record<ContractEventType, EventFlow>;

/**
 * The status configuration of contract events: statuses and transitions in the shared status tables
 * (machine `contract_event:<type>`, tenant rows or the system defaults), plus this service's per-type
 * settings (due lead days, moves gated on open required sub-tasks).
 *
 * Kept in process per tenant by the shared TenantFlowCache (all three types in one entry, loaded in three
 * queries): a write through this service forgets the tenant's entry at once and again on commit (the
 * store's `onChange`), other replicas see it within EVENT_FLOW_CACHE_TTL_MS, and the settings routes
 * always read the tables (`loadFresh`).
 */
@Injectable()
export class EventFlowService {
  private readonly cache: TenantFlowCache<EventFlows>;
  private readonly store: StatusFlowStore;

  constructor(dataSource: DataSource, config: EventsConfig) {
    this.cache = new TenantFlowCache({ name: 'eventFlows', ttlMs: config.EVENT_FLOW_CACHE_TTL_MS, load: (db, tenantId) => this.loadAllFresh(db, tenantId) });
    this.store = new StatusFlowStore(dataSource, { onChange: (tx, tenantId) => this.cache.changed(tx, tenantId) });
  }

  /** The tenant's flow of one type (from the process cache when fresh enough). */
  async load(db: Db, tenantId: string, eventType: string): Promise<EventFlow> {
    return (await this.loadAll(db, tenantId))[eventType as ContractEventType] ?? unknownType(eventType);
  }

  /** The tenant's flows of every type (from the process cache when fresh enough). */
  loadAll(db: Db, tenantId: string): Promise<EventFlows> {
    return this.cache.get(db, tenantId);
  }

  /** The flow of one type as the tables hold it now, seen through `db` (a transaction sees its own writes). */
  async loadFresh(db: Db, tenantId: string, eventType: string): Promise<EventFlow> {
    return (await this.cache.fresh(db, tenantId))[eventType as ContractEventType] ?? unknownType(eventType);
  }

  /** Three queries for the three types: statuses, transitions, settings. */
  private async loadAllFresh(db: Db, tenantId: string): Promise<EventFlows> {
    const loaded = await this.store.loadMany(tenantId, CONTRACT_EVENT_TYPES.map(machineOf), db);
    const settings = await this.settings(db, tenantId);
    const out = {} as EventFlows;
    for (const type of CONTRACT_EVENT_TYPES) {
      const { flow, tenantSources } = loaded.get(machineOf(type))!;
      if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${machineOf(type)}`);
      // The copy seeded from TENANT_CREATED is not an override; rows the tenant saved are.
      const isOverride = tenantSources.some((s) => s !== 'system');
      out[type] = new EventFlow(type, new StatusMachine(flow, 'strict'), settings[type], isOverride);
    }
    return out;
  }

  /** Replaces the tenant's flow and settings for one type (the flow is validated by the shared engine). */
  async replace(tx: Db, tenantId: string, eventType: string, flow: StatusFlow, settings: EventTypeSettings): Promise<void> {
    await this.store.replace(tenantId, machineOf(eventType), flow, 'tenant', tx);
    await exec(tx, sql`DELETE FROM event_type_settings WHERE tenant_id = ${tenantId} AND event_type = ${eventType}`);
    await exec(
      tx,
      sql`INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source)
          VALUES (${tenantId}, ${eventType}, ${settings.dueLeadDays}, ${sql.json(settings.taskGatedTransitions)}, 'tenant')`,
    );
  }

  /** Back to the system defaults: drop the tenant's rows, then copy the defaults again (as seeding does). */
  async reset(tx: Db, tenantId: string, eventType: string): Promise<void> {
    await this.store.reset(tenantId, machineOf(eventType), tx);
    await exec(tx, sql`DELETE FROM event_type_settings WHERE tenant_id = ${tenantId} AND event_type = ${eventType}`);
    await this.seedType(tx, tenantId, eventType);
  }

  /** Copies the system defaults of every type into the tenant's scope, unless it has its own (idempotent). */
  async seedTenant(tx: Db, tenantId: string): Promise<void> {
    this.cache.changed(tx, tenantId);
    for (const type of CONTRACT_EVENT_TYPES) await this.seedType(tx, tenantId, type);
  }

  /** The status codes of the system defaults of a type (what a reset brings back). */
  async defaultCodes(db: Db, eventType: string): Promise<string[]> {
    const rows = await many<{ code: string }>(db, sql`SELECT code FROM status_definitions WHERE tenant_id IS NULL AND machine = ${machineOf(eventType)}`);
    return rows.map((r) => r.code);
  }

  private async seedType(tx: Db, tenantId: string, eventType: string) {
    // Serialises concurrent seeding of one tenant (redelivered TENANT_CREATED racing a reset).
    await transactionLock(tx, `event-flow-seed:${tenantId}`);
    await this.store.seedTenant(tenantId, machineOf(eventType), tx);
    await exec(
      tx,
      sql`INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source)
       SELECT ${tenantId}, event_type, due_lead_days, task_gated_transitions, 'system' FROM event_type_settings WHERE tenant_id IS NULL AND event_type = ${eventType}
       ON CONFLICT (tenant_id, event_type) WHERE tenant_id IS NOT NULL DO NOTHING`,
    );
  }

  private async settings(db: Db, tenantId: string): Promise<Record<ContractEventType, EventTypeSettings>> {
    // Per type, the tenant's row else the system row else the built-in defaults.
    const rows = await many<{ eventType: ContractEventType } & EventTypeSettings>(
      db,
      sql`SELECT DISTINCT ON (event_type) event_type AS "eventType", due_lead_days AS "dueLeadDays", task_gated_transitions AS "taskGatedTransitions"
       FROM event_type_settings WHERE (tenant_id = ${tenantId} OR tenant_id IS NULL) AND event_type = ANY(${sql.array(CONTRACT_EVENT_TYPES, 'text')})
       ORDER BY event_type, tenant_id NULLS LAST`,
    );
    const out = { ...DEFAULT_SETTINGS };
    for (const r of rows) out[r.eventType] = { dueLeadDays: r.dueLeadDays, taskGatedTransitions: r.taskGatedTransitions };
    return out;
  }
}

function unknownType(eventType: string): never {
  throw new Error(`no status flow is configured for ${machineOf(eventType)}`);
}
