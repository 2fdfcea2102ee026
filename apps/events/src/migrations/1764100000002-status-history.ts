import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status changes get the status history shape every service shares (libs/shared/src/status-machine/
 * status-history.ts): they move from `event_audit` (which keeps the other fields' changes) to
 * `status_history`. Both tables take their ids from one sequence, so an event's audit (both, merged by id)
 * keeps its order and its cursors.
 */
export class StatusHistory1764100000002 implements MigrationInterface {
  name = 'StatusHistory1764100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE status_history (
  id bigint PRIMARY KEY DEFAULT nextval('event_audit_id_seq'),
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL REFERENCES contract_events(id) ON DELETE CASCADE,
  from_status text NULL,
  to_status text NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid NULL,
  actor_name text NULL,
  source text NOT NULL,
  reason text NULL,
  seconds_in_previous int NULL,
  is_valid_transition boolean NOT NULL DEFAULT true,
  at timestamptz NOT NULL
);
CREATE INDEX ix_status_history_event ON status_history (tenant_id, event_id, id);
INSERT INTO status_history (id, tenant_id, event_id, from_status, to_status, actor_type, actor_id, actor_name, source, reason, seconds_in_previous, at)
  SELECT id, tenant_id, event_id, from_value, to_value, actor_type, actor_id, actor_name, source, reason, time_in_previous_status, at
  FROM event_audit WHERE field = 'status';
DELETE FROM event_audit WHERE field = 'status';
ALTER TABLE event_audit DROP COLUMN time_in_previous_status;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE event_audit ADD COLUMN time_in_previous_status int NULL;
INSERT INTO event_audit (id, tenant_id, event_id, field, from_value, to_value, actor_type, actor_id, actor_name, source, reason, time_in_previous_status, at)
  SELECT id, tenant_id, event_id, 'status', from_status, to_status, actor_type, actor_id, coalesce(actor_name, ''), source, reason, seconds_in_previous, at
  FROM status_history;
DROP TABLE status_history;
`);
  }
}
