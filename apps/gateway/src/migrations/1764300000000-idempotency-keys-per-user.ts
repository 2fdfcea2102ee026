import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys per tenant AND caller: with keys per tenant only, an agent who sent the key an admin had
 * used got the admin's stored answer. Rows from before have the empty actor, which no caller has: they are
 * never replayed again and leave with the hourly purge. A replica still running the previous code inserts
 * with that same default and keeps working during a rolling deploy.
 */
export class IdempotencyKeysPerUser1764300000000 implements MigrationInterface {
  name = 'IdempotencyKeysPerUser1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE idempotency_keys ADD COLUMN actor_id text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, actor_id, idempotency_key);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DELETE FROM idempotency_keys WHERE actor_id <> '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, idempotency_key);
ALTER TABLE idempotency_keys DROP COLUMN actor_id;
`);
  }
}
