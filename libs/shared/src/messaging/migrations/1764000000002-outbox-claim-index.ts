import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's claim no longer looks rows up by aggregate (outbox-relay.ts: it sets aside aggregates whose
 * earlier rows another round holds), so the partial index on (aggregate_id, seq) only cost every appended
 * and every published row an index write.
 */
export class OutboxClaimIndex1764000000002 implements MigrationInterface {
  name = 'OutboxClaimIndex1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_unpublished_aggregate_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_unpublished_aggregate_idx ON outbox (aggregate_id, seq) WHERE published_at IS NULL`);
  }
}
