import { MigrationInterface, QueryRunner } from 'typeorm';
import { CONTRACT_EVENT_TYPES } from '@app/shared/catalog/events-service.catalog';
import { DEFAULT_FLOWS, DEFAULT_SETTINGS, machineOf } from '../status-config/default-flows';

/**
 * System defaults (tenant_id NULL) of the three contract-event flows and their settings. New tenants copy
 * them when TENANT_CREATED arrives; a tenant without its own rows falls back to them.
 */
export class DefaultStatusFlows1764100000001 implements MigrationInterface {
  name = 'DefaultStatusFlows1764100000001';

  async up(q: QueryRunner): Promise<void> {
    for (const type of CONTRACT_EVENT_TYPES) {
      const machine = machineOf(type);
      const flow = DEFAULT_FLOWS[type];
      for (const s of flow.statuses) {
        await q.query(
          `INSERT INTO status_definitions (tenant_id, machine, code, label, color, icon, display_order, is_initial, is_terminal, category, source)
           VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, 'system')`,
          [machine, s.code, s.label, s.color, s.icon, s.order, s.isInitial, s.isTerminal, s.category],
        );
      }
      for (const t of flow.transitions) {
        await q.query(
          `INSERT INTO status_transitions (tenant_id, machine, from_status, to_status, requires_reason, requires_evidence, is_automatic)
           VALUES (NULL, $1, $2, $3, $4, $5, $6)`,
          [machine, t.from, t.to, t.requiresReason, t.requiresEvidence, t.isAutomatic ?? false],
        );
      }
      const settings = DEFAULT_SETTINGS[type];
      await q.query(
        `INSERT INTO event_type_settings (tenant_id, event_type, due_lead_days, task_gated_transitions, source) VALUES (NULL, $1, $2, $3, 'system')`,
        [type, settings.dueLeadDays, JSON.stringify(settings.taskGatedTransitions)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM status_transitions WHERE tenant_id IS NULL AND machine LIKE 'contract_event:%'`);
    await q.query(`DELETE FROM status_definitions WHERE tenant_id IS NULL AND machine LIKE 'contract_event:%'`);
    await q.query(`DELETE FROM event_type_settings WHERE tenant_id IS NULL`);
  }
}
