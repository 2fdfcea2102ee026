import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activities and kits (issue 14). An activity is a sub-task of a contract event carried further: the same
 * `event_tasks` row, with what its execution needs (who does it, when it started and finished, what came of
 * it, the issues raised). Plain checklist items keep `kind = 'task'`; rows created as activities have
 * `kind = 'activity'`. Kits: templates (components and quantities), instances (a physical kit with the
 * condition of each component), their assignments to activities (assigned → prepared → checked out →
 * returned) and the history of every instance.
 */
export class ActivitiesAndKits1764100000010 implements MigrationInterface {
  name = 'ActivitiesAndKits1764100000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE event_tasks
  ADD COLUMN kind text NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'activity')),
  ADD COLUMN activity_type text NULL,
  ADD COLUMN description text NULL,
  ADD COLUMN duration_minutes int NULL,
  ADD COLUMN required_kit_template_ids uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN required_staff_roles text[] NOT NULL DEFAULT '{}',
  ADD COLUMN created_by uuid NULL,
  ADD COLUMN assignment_id uuid NULL,
  ADD COLUMN assignee_id uuid NULL,
  ADD COLUMN assignee_name text NULL,
  ADD COLUMN assignee_role text NULL,
  ADD COLUMN instructions text NULL,
  ADD COLUMN assigned_by uuid NULL,
  ADD COLUMN assigned_at timestamptz NULL,
  ADD COLUMN started_by uuid NULL,
  ADD COLUMN started_at timestamptz NULL,
  ADD COLUMN completed_by uuid NULL,
  ADD COLUMN outcomes jsonb NULL,
  ADD COLUMN issues jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN version int NOT NULL DEFAULT 1;

CREATE TABLE kit_templates (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  name text NOT NULL,
  description text NULL,
  components jsonb NOT NULL,
  archived_at timestamptz NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX ix_kit_templates_tenant ON kit_templates (tenant_id, created_at, id);

CREATE TABLE kit_instances (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  template_id uuid NOT NULL REFERENCES kit_templates(id),
  label text NOT NULL,
  condition text NOT NULL,
  status text NOT NULL,
  components jsonb NOT NULL,
  current_assignment_id uuid NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT uq_kit_instances_label UNIQUE (tenant_id, label)
);
CREATE INDEX ix_kit_instances_tenant ON kit_instances (tenant_id, created_at, id);

CREATE TABLE kit_assignments (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  kit_instance_id uuid NOT NULL REFERENCES kit_instances(id),
  kit_template_id uuid NOT NULL,
  activity_id uuid NOT NULL REFERENCES event_tasks(id) ON DELETE CASCADE,
  event_id uuid NOT NULL,
  quantity int NOT NULL,
  notes text NULL,
  status text NOT NULL,
  assigned_by uuid NOT NULL,
  assigned_at timestamptz NOT NULL,
  prepared_by uuid NULL,
  prepared_at timestamptz NULL,
  checked_out_by uuid NULL,
  checked_out_at timestamptz NULL,
  checked_out_to uuid NULL,
  expected_return_at timestamptz NULL,
  returned_by uuid NULL,
  returned_at timestamptz NULL,
  received_by uuid NULL,
  return_condition text NULL,
  missing_components jsonb NULL,
  damaged_components jsonb NULL
);
CREATE INDEX ix_kit_assignments_activity ON kit_assignments (tenant_id, activity_id, assigned_at);
CREATE INDEX ix_kit_assignments_kit ON kit_assignments (tenant_id, kit_instance_id, assigned_at DESC);

-- One row per thing that happened to a kit instance; never updated.
CREATE TABLE kit_history (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL,
  kit_instance_id uuid NOT NULL REFERENCES kit_instances(id),
  kit_assignment_id uuid NULL,
  action text NOT NULL,
  from_status text NULL,
  to_status text NOT NULL,
  condition text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  actor_type text NOT NULL,
  actor_id uuid NOT NULL,
  actor_name text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX ix_kit_history_kit ON kit_history (tenant_id, kit_instance_id, id);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kit_history, kit_assignments, kit_instances, kit_templates`);
    await q.query(`ALTER TABLE event_tasks
  DROP COLUMN kind, DROP COLUMN activity_type, DROP COLUMN description, DROP COLUMN duration_minutes, DROP COLUMN required_kit_template_ids,
  DROP COLUMN required_staff_roles, DROP COLUMN created_by, DROP COLUMN assignment_id, DROP COLUMN assignee_id, DROP COLUMN assignee_name,
  DROP COLUMN assignee_role, DROP COLUMN instructions, DROP COLUMN assigned_by, DROP COLUMN assigned_at, DROP COLUMN started_by,
  DROP COLUMN started_at, DROP COLUMN completed_by, DROP COLUMN outcomes, DROP COLUMN issues, DROP COLUMN version`);
  }
}
