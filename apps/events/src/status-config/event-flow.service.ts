import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEventType, CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { StatusFlowStore } from '@app/shared/status-machine/status-flow.store';
import { StatusFlow, StatusMachine } from '@app/shared/status-machine/status-machine';
import { DEFAULT_SETTINGS, EventTypeSettings, machineOf } from './default-flows';
import { EventFlow } from './event-flow';

/**
 * The status configuration of contract events: statuses and transitions in the shared status tables
 * (machine `contract_event:<type>`, tenant rows or the system defaults), plus this service's per-type
 * settings (due lead days, moves gated on open required sub-tasks).
 */
@Injectable()
export class EventFlowService {
  private readonly store: StatusFlowStore;

  constructor(private readonly dataSource: DataSource) {
    this.store = new StatusFlowStore(dataSource);
  }

  async load(m: EntityManager, tenantId: string, eventType: string): Promise<EventFlow> {
    const machine = machineOf(eventType);
    // sequential: inside a transaction they share one connection anyway
    const { flow } = await this.store.load(tenantId, machine, m);
    const settings = await this.settings(m, tenantId, eventType);
    const override = await m.query(`SELECT EXISTS (SELECT 1 FROM status_definitions WHERE tenant_id = $1 AND machine = $2 AND source <> 'system') AS own`, [
      tenantId,
      machine,
    ]);
    if (flow.statuses.length === 0) throw new Error(`no status flow is configured for ${machine}`);
    return new EventFlow(eventType, new StatusMachine(flow, 'strict'), settings, override[0].own === true);
  }

  async loadAll(m: EntityManager, tenantId: string): Promise<Record<ContractEventType, EventFlow>> {
    const out = {} as Record<ContractEventType, EventFlow>;
    for (const t of CONTRACT_EVENT_TYPES) out[t] = await this.load(m, tenantId, t);
    return out;
  }

  /** Replaces the tenant's flow and settings for one type (the flow is validated by the shared engine). */
  async replace(tx: EntityManager, tenantId: string, eventType: string, flow: StatusFlow, settings: EventTypeSettings): Promise<void> {
    await this.store.replace(tenantId, machineOf(eventType), flow, 'tenant', tx);
    await tx.query(`DELETE FROM event_type_settings WHERE tenant_id = $1 AND event_type = $2`, [tenantId, eventType]);
    await tx.query(
      `INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source) VALUES ($1, $2, $3, $4, 'tenant')`,
      [tenantId, eventType, settings.dueLeadDays, JSON.stringify(settings.taskGatedTransitions)],
    );
  }

  /** Back to the system defaults: drop the tenant's rows, then copy the defaults again (as seeding does). */
  async reset(tx: EntityManager, tenantId: string, eventType: string): Promise<void> {
    await this.store.reset(tenantId, machineOf(eventType), tx);
    await tx.query(`DELETE FROM event_type_settings WHERE tenant_id = $1 AND event_type = $2`, [tenantId, eventType]);
    await this.seedType(tx, tenantId, eventType);
  }

  /** Copies the system defaults of every type into the tenant's scope, unless it has its own (idempotent). */
  async seedTenant(tx: EntityManager, tenantId: string): Promise<void> {
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

  private async settings(m: EntityManager, tenantId: string, eventType: string): Promise<EventTypeSettings> {
    const rows: any[] = await m.query(
      `SELECT due_lead_days, task_gated_transitions FROM event_type_settings WHERE (tenant_id = $1 OR tenant_id IS NULL) AND event_type = $2
       ORDER BY tenant_id NULLS LAST LIMIT 1`,
      [tenantId, eventType],
    );
    if (!rows[0]) return DEFAULT_SETTINGS[eventType as ContractEventType];
    return { dueLeadDays: rows[0].due_lead_days, taskGatedTransitions: rows[0].task_gated_transitions };
  }
}
