import { MigrationInterface, QueryRunner } from 'typeorm';

/** A job keeps the correlation and the trace of the work that asked for it: its later status events and its send continue them. */
export class JtdJobTrace1764300000050 implements MigrationInterface {
  name = 'JtdJobTrace1764300000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN correlation_id text NULL, ADD COLUMN trace_parent text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN trace_parent, DROP COLUMN correlation_id`);
  }
}
