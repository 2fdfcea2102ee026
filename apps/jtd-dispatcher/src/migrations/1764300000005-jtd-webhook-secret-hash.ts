import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets were stored as issued: anyone reading the table (a backup, a support query) could post
 * delivery reports as any tenant. Only their SHA-256 is kept now; the secrets are 256-bit random values,
 * so a plain hash cannot be reversed by guessing. Secrets already given to MSG91 keep working (their hash
 * is what is compared). NULL: no secret issued yet, every report is refused until an admin rotates one.
 */
export class JtdWebhookSecretHash1764300000005 implements MigrationInterface {
  name = 'JtdWebhookSecretHash1764300000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_config ADD COLUMN webhook_secret_hash bytea NULL`);
    await q.query(`UPDATE tenant_config SET webhook_secret_hash = sha256(convert_to(webhook_secret, 'UTF8'))`);
    await q.query(`ALTER TABLE tenant_config DROP COLUMN webhook_secret`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The secrets cannot be recovered from their hashes: every tenant gets a new one nobody knows (rotate to use it).
    await q.query(
      `ALTER TABLE tenant_config ADD COLUMN webhook_secret text NOT NULL DEFAULT encode(sha256(gen_random_uuid()::text::bytea || clock_timestamp()::text::bytea), 'hex')`,
    );
    await q.query(`ALTER TABLE tenant_config ALTER COLUMN webhook_secret DROP DEFAULT`);
    await q.query(`ALTER TABLE tenant_config DROP COLUMN webhook_secret_hash`);
  }
}
