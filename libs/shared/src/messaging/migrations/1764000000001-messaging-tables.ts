import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox (also the service's event log), inbox, aggregate versions and dead letters, in the schema of the
 * service that applies it (unqualified names: the service's connection has its own schema on the search path).
 */
export class MessagingTables1764000000001 implements MigrationInterface {
  name = 'MessagingTables1764000000001';

  async up(q: QueryRunner): Promise<void> {
    // `seq` gives the relay a total order (per-aggregate order follows from it); `created_at` is the envelope
    // timestamp in ms precision so a keyset cursor built from it in JS is exact.
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        type text NOT NULL,
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        source text NOT NULL,
        actor jsonb NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_version integer,
        idempotency_key text,
        payload jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        retention_class text NOT NULL,
        created_at timestamptz NOT NULL,
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE UNIQUE INDEX outbox_seq_uq ON outbox (seq)`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unpublished_aggregate_idx ON outbox (aggregate_id, seq) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_log_idx ON outbox (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX outbox_log_correlation_idx ON outbox (tenant_id, correlation_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX outbox_log_aggregate_idx ON outbox (tenant_id, aggregate_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX outbox_log_type_idx ON outbox (tenant_id, type, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX outbox_retention_idx ON outbox (retention_class, created_at) WHERE published_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        message_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await q.query(`CREATE INDEX inbox_processed_at_idx ON inbox (processed_at)`);

    await q.query(`
      CREATE TABLE inbox_aggregate_versions (
        consumer text NOT NULL,
        aggregate_id text NOT NULL,
        last_version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, aggregate_id)
      )`);

    // tenant_id is null when the message was too broken to tell whose it is; only platform tooling sees those.
    await q.query(`
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY,
        tenant_id uuid,
        queue text NOT NULL,
        message_id text,
        type text,
        envelope jsonb,
        raw_body text,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        reason text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        replay_count integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX dead_letters_tenant_idx ON dead_letters (tenant_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS dead_letters`);
    await q.query(`DROP TABLE IF EXISTS inbox_aggregate_versions`);
    await q.query(`DROP TABLE IF EXISTS inbox`);
    await q.query(`DROP TABLE IF EXISTS outbox`);
  }
}
