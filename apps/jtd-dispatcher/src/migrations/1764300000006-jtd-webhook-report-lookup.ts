import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery report finds its job by tenant, channel and the provider's request id, up to a thousand ids
 * per request; the provider index (provider_code first) cannot serve that lookup.
 */
export class JtdWebhookReportLookup1764300000006 implements MigrationInterface {
  name = 'JtdWebhookReportLookup1764300000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_jobs_provider_message ON jobs (tenant_id, channel_code, provider_message_id) WHERE provider_message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_jobs_provider_message`);
  }
}
