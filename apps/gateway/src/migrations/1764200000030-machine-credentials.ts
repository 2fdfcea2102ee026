import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Machine identities (API keys for VaNi and integrations). Only the SHA-256 of a key is kept (a key is 32
 * random bytes, so a fast hash is enough: there is nothing to guess); the prefix finds the row.
 */
export class MachineCredentials1764200000030 implements MigrationInterface {
  name = 'MachineCredentials1764200000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE machine_credentials (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  name text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('vani', 'system')),
  roles text[] NOT NULL,
  key_prefix text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NULL,
  revoked_at timestamptz NULL,
  revoked_by uuid NULL
);
CREATE INDEX ix_machine_credentials_tenant ON machine_credentials (tenant_id, created_at DESC);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE machine_credentials`);
  }
}
