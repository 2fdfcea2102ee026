import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events service's own tables. Every row carries tenant_id and every index leads with it, because every
 * query is tenant-scoped.
 */
export class EventsDomain1764100000000 implements MigrationInterface {
  name = 'EventsDomain1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  tenant_id uuid GENERATED ALWAYS AS (id) STORED,
  name text NOT NULL,
  timezone text NOT NULL,
  locale text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- TaskIDs: one row per tenant, bumped with UPDATE … RETURNING inside the activation's transaction, so
-- concurrent activations queue on the row lock and a rolled-back activation gives its numbers back.
CREATE TABLE task_counters (
  tenant_id uuid PRIMARY KEY,
  last_value bigint NOT NULL DEFAULT 0
);

CREATE TABLE contracts (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  contract_number text NOT NULL,
  title text NOT NULL,
  customer jsonb NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL,
  timezone text NOT NULL,
  account_manager_id uuid NULL,
  services jsonb NOT NULL DEFAULT '[]',
  spare_parts jsonb NOT NULL DEFAULT '[]',
  billing jsonb NULL,
  status text NOT NULL,
  review jsonb NOT NULL DEFAULT '{}',
  needs_reapproval boolean NOT NULL DEFAULT false,
  total_events int NOT NULL DEFAULT 0,
  activated_at timestamptz NULL,
  closed_at timestamptz NULL,
  cancel_reason text NULL,
  version int NOT NULL DEFAULT 1,
  created_by uuid NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_contracts_number ON contracts (tenant_id, contract_number);
CREATE INDEX ix_contracts_tenant_status ON contracts (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX ix_contracts_tenant_created ON contracts (tenant_id, created_at DESC, id DESC);
-- the scheduler's list of tenants to visit
CREATE INDEX ix_contracts_active ON contracts (tenant_id) WHERE status = 'active';

CREATE TABLE contract_events (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  task_id text NOT NULL,
  event_type text NOT NULL CHECK (event_type IN ('service','spare_part','billing')),
  title text NOT NULL,
  status text NOT NULL,
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  scheduled_date timestamptz NOT NULL,
  original_date timestamptz NOT NULL,
  sequence_number int NULL,
  total_occurrences int NULL,
  promise_key text NULL,
  part_id text NULL,
  promise_qty int NULL,
  quantity int NOT NULL DEFAULT 1,
  is_unlimited boolean NOT NULL DEFAULT false,
  amount numeric(15,2) NULL,
  amount_settled numeric(15,2) NOT NULL DEFAULT 0,
  currency text NULL,
  notes text NULL,
  source text NOT NULL DEFAULT 'system',
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_contract_events_task_id ON contract_events (tenant_id, task_id);
-- cockpit counts (index-only) and per-status lists ordered by date
CREATE INDEX ix_contract_events_type_status_date ON contract_events (tenant_id, event_type, status, scheduled_date);
CREATE INDEX ix_contract_events_contract ON contract_events (tenant_id, contract_id, scheduled_date, id);
CREATE INDEX ix_contract_events_date ON contract_events (tenant_id, scheduled_date, id);

CREATE TABLE event_assignees (
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL REFERENCES contract_events(id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  name text NULL,
  role text NOT NULL CHECK (role IN ('assignee','account_manager','observer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, user_id, role)
);
CREATE INDEX ix_event_assignees_user ON event_assignees (tenant_id, user_id, event_id);

CREATE TABLE event_tasks (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL REFERENCES contract_events(id) ON DELETE CASCADE,
  title text NOT NULL,
  due_date date NULL,
  required boolean NOT NULL DEFAULT false,
  done boolean NOT NULL DEFAULT false,
  done_at timestamptz NULL,
  is_auto_triggered boolean NOT NULL DEFAULT false,
  source text NOT NULL DEFAULT 'user',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_event_tasks_event ON event_tasks (tenant_id, event_id, created_at);

-- One row per changed field; never updated.
CREATE TABLE event_audit (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL REFERENCES contract_events(id) ON DELETE CASCADE,
  field text NOT NULL,
  from_value text NULL,
  to_value text NULL,
  actor_type text NOT NULL,
  actor_id uuid NOT NULL,
  actor_name text NOT NULL,
  source text NOT NULL,
  reason text NULL,
  time_in_previous_status int NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_event_audit_event ON event_audit (tenant_id, event_id, id);

-- Evidence the tickets service reported, for requires_evidence transitions.
CREATE TABLE event_evidence (
  tenant_id uuid NOT NULL,
  evidence_id uuid NOT NULL,
  event_id uuid NULL,
  ticket_id uuid NOT NULL,
  status text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, evidence_id)
);
CREATE INDEX ix_event_evidence_event ON event_evidence (tenant_id, event_id);
CREATE INDEX ix_event_evidence_ticket ON event_evidence (tenant_id, ticket_id);

-- Which tickets group which events (from the tickets service's events): ticket-level evidence counts for
-- every event of its ticket.
CREATE TABLE event_ticket_links (
  tenant_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, event_id, ticket_id)
);

-- Per tenant and event type: due lead days and the moves gated on open required sub-tasks.
-- tenant_id NULL holds the system defaults.
CREATE TABLE event_type_settings (
  id bigserial PRIMARY KEY,
  tenant_id uuid NULL,
  event_type text NOT NULL,
  due_lead_days int NOT NULL,
  task_gated_transitions jsonb NOT NULL DEFAULT '[]',
  source text NOT NULL DEFAULT 'system'
);
CREATE UNIQUE INDEX uq_event_type_settings_tenant ON event_type_settings (tenant_id, event_type) WHERE tenant_id IS NOT NULL;
CREATE UNIQUE INDEX uq_event_type_settings_system ON event_type_settings (event_type) WHERE tenant_id IS NULL;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE event_type_settings, event_ticket_links, event_evidence, event_audit, event_tasks, event_assignees, contract_events, contracts, task_counters, tenants`,
    );
  }
}
