import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of creating POSTs: the first response per (tenant, key) for 24 hours. The fingerprint
 * is a hash of method, path and body, so a reused key with another request is recognised.
 */
export class IdempotencyKeys1764200000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL,
  idempotency_key text NOT NULL,
  request_fingerprint text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  response_status integer,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, idempotency_key)
);
-- The hourly purge deletes by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
