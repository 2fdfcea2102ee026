import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs are found by the provider's request id only through `idx_jobs_provider_message` (tenant, channel, id:
 * the delivery reports' lookup). The first index of provider ids, (provider_code, provider_message_id), serves
 * no query and cost every sent job one more B-tree entry when its provider id was recorded.
 */
export class JtdProviderIndex1764300000070 implements MigrationInterface {
  name = 'JtdProviderIndex1764300000070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS idx_jobs_provider`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_jobs_provider ON jobs (provider_code, provider_message_id) WHERE provider_message_id IS NOT NULL`);
  }
}
