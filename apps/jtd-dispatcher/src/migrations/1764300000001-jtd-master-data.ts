import { MigrationInterface, QueryRunner } from 'typeorm';
import { CHANNELS, EVENT_TYPES, jobMachineOf, machineSeeds, SOURCE_TYPES, statusIcon, SYSTEM_TEMPLATES } from '../master-data/jtd-master-data';

/** Seeds the master data and the system status flows (`jtd:<event_type>` machines) from the seed system. */
export class JtdMasterData1764300000001 implements MigrationInterface {
  name = 'JtdMasterData1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO system_actors (id, code, name, description, avatar_url) VALUES
      ('00000000-0000-0000-0000-000000000001','vani','VaNi','AI Agent for automated task execution','/avatars/vani.png'),
      ('00000000-0000-0000-0000-000000000002','system','System','Automated system actions','/avatars/system.png'),
      ('00000000-0000-0000-0000-000000000003','webhook','Webhook','Provider delivery reports','/avatars/webhook.png')`);
    for (const e of EVENT_TYPES) {
      await q.query(
        `INSERT INTO event_types (code, name, category, icon, color, allowed_channels, supports_scheduling, supports_recurrence, supports_batch,
          default_priority, default_max_retries, retry_delay_seconds, display_order) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
        [...e.slice(0, 5), [...e[5]], ...e.slice(6)],
      );
    }
    for (const c of CHANNELS) {
      await q.query(
        `INSERT INTO channels (code, name, default_provider, cost_per_unit, rate_limit_per_minute, supports_templates, supports_attachments,
          supports_rich_content, max_content_length, has_delivery_confirmation, has_read_receipt, display_order, icon, color)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
        [...c],
      );
    }
    for (const [code, name, eventType, channels] of SOURCE_TYPES) {
      await q.query(`INSERT INTO source_types (code, name, default_event_type, default_channels) VALUES ($1,$2,$3,$4)`, [code, name, eventType, [...channels]]);
    }
    for (const [key, channel, source, subject, content, vars, providerId] of SYSTEM_TEMPLATES) {
      const variables = vars.map((v) => {
        const [name, def] = v.split('=');
        return def === undefined ? { name, required: true } : { name, required: false, default: def };
      });
      await q.query(
        `INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, variables, provider_template_id)
         VALUES (NULL,$1,$1,$2,$3,$4,$5,$6,$7)`,
        [key, channel, source, subject, content, JSON.stringify(variables), providerId],
      );
    }
    for (const m of machineSeeds()) {
      const machine = jobMachineOf(m.eventType);
      for (const st of m.statuses) {
        const [icon, color] = statusIcon(st.code);
        await q.query(
          `INSERT INTO status_definitions (tenant_id, machine, code, label, color, icon, display_order, is_initial, is_terminal, category, source)
           VALUES (NULL,$1,$2,$3,$4,$5,$6,$7,$8,$9,'system')`,
          [
            machine,
            st.code,
            st.code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
            color,
            icon,
            st.order,
            st.flags.includes('I'),
            st.flags.includes('T'),
            st.type,
          ],
        );
      }
      for (const t of m.transitions) {
        await q.query(
          `INSERT INTO status_transitions (tenant_id, machine, from_status, to_status, requires_reason, requires_evidence, is_automatic)
           VALUES (NULL,$1,$2,$3,$4,$5,$6)`,
          [machine, t.from, t.to, t.requiresReason, t.requiresEvidence, t.isAutomatic ?? false],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM status_transitions WHERE tenant_id IS NULL AND machine LIKE 'jtd:%'`);
    await q.query(`DELETE FROM status_definitions WHERE tenant_id IS NULL AND machine LIKE 'jtd:%'`);
    await q.query(
      `DELETE FROM templates WHERE tenant_id IS NULL; DELETE FROM source_types; DELETE FROM channels; DELETE FROM event_types; DELETE FROM system_actors`,
    );
  }
}
