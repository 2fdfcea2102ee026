import { MigrationInterface, QueryRunner } from 'typeorm';
import { LIFECYCLE_TEMPLATES } from '../master-data/jtd-master-data';

/** System templates of payment_received, contract_signed and service_scheduled, now triggered by real flows. */
export class JtdLifecycleTemplates1764300000030 implements MigrationInterface {
  name = 'JtdLifecycleTemplates1764300000030';

  async up(q: QueryRunner): Promise<void> {
    for (const [key, channel, source, subject, content, vars, providerId] of LIFECYCLE_TEMPLATES) {
      const variables = vars.map((v) => {
        const [name, def] = v.split('=');
        return def === undefined ? { name, required: true } : { name, required: false, default: def };
      });
      await q.query(
        `INSERT INTO templates (tenant_id, template_key, name, channel_code, source_type_code, subject, content, variables, provider_template_id)
         SELECT NULL,$1::text,$1::text,$2::text,$3::text,$4::text,$5::text,$6::jsonb,$7::text
         WHERE NOT EXISTS (SELECT 1 FROM templates WHERE tenant_id IS NULL AND template_key = $1::text AND channel_code = $2::text)`,
        [key, channel, source, subject, content, JSON.stringify(variables), providerId],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM templates WHERE tenant_id IS NULL AND template_key = ANY($1)`, [LIFECYCLE_TEMPLATES.map((t) => t[0])]);
  }
}
