import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A job's status history takes the shape every service shares (libs/shared/src/status-machine/
 * status-history.ts), so the shared status kit writes it: who did it as `actor_*` with its `source`, the
 * note as `reason`, the time spent in the previous status as `seconds_in_previous`. The job's own
 * `details` column stays (an extra column of this table). Answers keep their names (`durationSeconds`,
 * `note`, `performedBy`).
 */
export class JtdStatusHistory1764300000007 implements MigrationInterface {
  name = 'JtdStatusHistory1764300000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE status_history RENAME COLUMN performed_by_type TO actor_type;
ALTER TABLE status_history RENAME COLUMN performed_by_id TO actor_id;
ALTER TABLE status_history RENAME COLUMN performed_by_name TO actor_name;
ALTER TABLE status_history RENAME COLUMN note TO reason;
ALTER TABLE status_history RENAME COLUMN duration_seconds TO seconds_in_previous;
ALTER TABLE status_history ADD COLUMN source text;
UPDATE status_history SET source = CASE actor_type WHEN 'user' THEN 'user' WHEN 'vani' THEN 'vani' ELSE 'system' END;
ALTER TABLE status_history ALTER COLUMN source SET NOT NULL;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE status_history DROP COLUMN source;
ALTER TABLE status_history RENAME COLUMN seconds_in_previous TO duration_seconds;
ALTER TABLE status_history RENAME COLUMN reason TO note;
ALTER TABLE status_history RENAME COLUMN actor_name TO performed_by_name;
ALTER TABLE status_history RENAME COLUMN actor_id TO performed_by_id;
ALTER TABLE status_history RENAME COLUMN actor_type TO performed_by_type;
`);
  }
}
