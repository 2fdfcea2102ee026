import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher takes a channel's rate slots for a whole batch in one statement. An UPSERT returns only
 * the new `used`; `last_grant` records what that statement granted (computed from the old value inside
 * the row lock), so the caller knows how many of its jobs may go.
 */
export class JtdBulkRateGrants1764300000002 implements MigrationInterface {
  name = 'JtdBulkRateGrants1764300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_buckets ADD COLUMN last_grant int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_buckets DROP COLUMN last_grant`);
  }
}
