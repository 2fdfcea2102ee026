import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_APPOINTMENT_FLOW, DEFAULT_TICKET_FLOW } from '../settings/default-flows';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { StatusFlow } from '@app/shared/status-machine/status-machine';

/**
 * The tickets schema: read models fed by the events service's domain events, service tickets with their
 * per-tenant-per-year counter, appointments and their history, staff assignments, evidence and issues.
 * Every table carries tenant_id and every lookup index starts with it.
 */
export class TicketsTables1764400000000 implements MigrationInterface {
  name = 'TicketsTables1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        timezone text NOT NULL,
        locale text NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Read models: versions of the source aggregate let late or repeated messages be ignored.
    await q.query(`
      CREATE TABLE contract_read_models (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_number text NOT NULL,
        title text NOT NULL,
        customer jsonb NOT NULL,
        status text NOT NULL,
        timezone text NULL,
        source_version int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_read_models_tenant_idx ON contract_read_models (tenant_id)`);
    await q.query(`
      CREATE TABLE contract_event_read_models (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        event_type text NOT NULL,
        task_id text NULL,
        title text NULL,
        status text NOT NULL,
        scheduled_date timestamptz NULL,
        source_version int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_event_read_models_contract_idx ON contract_event_read_models (tenant_id, contract_id)`);

    await q.query(`
      CREATE TABLE ticket_number_counters (
        tenant_id uuid NOT NULL,
        year int NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (tenant_id, year)
      )`);

    await q.query(`
      CREATE TABLE service_tickets (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ticket_number text NOT NULL,
        contract_id uuid NOT NULL,
        status text NOT NULL,
        status_changed_at timestamptz NOT NULL,
        assignees jsonb NOT NULL DEFAULT '[]'::jsonb,
        scheduled_for timestamptz NULL,
        started_at timestamptz NULL,
        completed_at timestamptz NULL,
        cancelled_at timestamptz NULL,
        notes text NULL,
        created_by uuid NOT NULL,
        created_by_name text NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX service_tickets_number_uq ON service_tickets (tenant_id, ticket_number)`);
    await q.query(`CREATE INDEX service_tickets_contract_idx ON service_tickets (tenant_id, contract_id)`);
    await q.query(`CREATE INDEX service_tickets_status_idx ON service_tickets (tenant_id, status)`);
    await q.query(`CREATE INDEX service_tickets_list_idx ON service_tickets (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX service_tickets_assignees_idx ON service_tickets USING gin (assignees jsonb_path_ops)`);

    // is_open mirrors "the ticket is neither completed nor cancelled" so one partial unique index keeps an
    // event on at most one open ticket even when two requests race.
    await q.query(`
      CREATE TABLE service_ticket_events (
        tenant_id uuid NOT NULL,
        ticket_id uuid NOT NULL REFERENCES service_tickets(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        is_open boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, event_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX service_ticket_events_open_uq ON service_ticket_events (tenant_id, event_id) WHERE is_open`);

    await q.query(`
      CREATE TABLE status_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        entity_type text NOT NULL,
        entity_id uuid NOT NULL,
        from_status text NULL,
        to_status text NOT NULL,
        reason text NULL,
        actor jsonb NOT NULL,
        seconds_in_previous int NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX status_history_entity_idx ON status_history (tenant_id, entity_id, at)`);

    await q.query(`
      CREATE TABLE appointments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        ticket_id uuid NULL REFERENCES service_tickets(id) ON DELETE SET NULL,
        event_ids uuid[] NOT NULL DEFAULT '{}',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        timezone text NOT NULL,
        location jsonb NULL,
        status text NOT NULL,
        status_changed_at timestamptz NOT NULL,
        notes text NULL,
        created_by uuid NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX appointments_range_idx ON appointments (tenant_id, starts_at, ends_at)`);
    await q.query(`CREATE INDEX appointments_ticket_idx ON appointments (tenant_id, ticket_id)`);

    await q.query(`
      CREATE TABLE appointment_reschedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        appointment_id uuid NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        previous_starts_at timestamptz NOT NULL,
        previous_ends_at timestamptz NOT NULL,
        new_starts_at timestamptz NOT NULL,
        new_ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        actor jsonb NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX appointment_reschedules_idx ON appointment_reschedules (tenant_id, appointment_id, at)`);

    await q.query(`
      CREATE TABLE staff_assignments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        appointment_id uuid NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        user_name text NULL,
        role text NOT NULL,
        status text NOT NULL,
        offered_at timestamptz NOT NULL,
        offered_by uuid NOT NULL,
        response_deadline timestamptz NOT NULL,
        responded_at timestamptz NULL,
        decline_reason text NULL,
        available_for_future boolean NULL,
        notes text NULL,
        dispatched_at timestamptz NULL,
        en_route_at timestamptz NULL,
        eta timestamptz NULL,
        checked_in_at timestamptz NULL,
        check_in_location jsonb NULL,
        verification_method text NULL,
        checked_out_at timestamptz NULL,
        check_out_location jsonb NULL,
        hours_worked numeric(6,2) NULL,
        feedback text NULL,
        no_show_at timestamptz NULL,
        no_show_reported_by uuid NULL,
        consequence_level text NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX staff_assignments_live_uq ON staff_assignments (appointment_id, user_id) WHERE status NOT IN ('declined', 'expired', 'withdrawn')`,
    );
    await q.query(`CREATE INDEX staff_assignments_user_idx ON staff_assignments (tenant_id, user_id, status)`);

    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ticket_id uuid NOT NULL REFERENCES service_tickets(id) ON DELETE CASCADE,
        event_id uuid NULL,
        type text NOT NULL,
        status text NOT NULL,
        label text NULL,
        description text NULL,
        storage_key text NULL,
        file_name text NULL,
        file_size bigint NULL,
        content_type text NULL,
        sha256 text NULL,
        form_data jsonb NULL,
        note text NULL,
        otp_hash text NULL,
        otp_channel text NULL,
        otp_sent_to text NULL,
        otp_expires_at timestamptz NULL,
        otp_attempts int NOT NULL DEFAULT 0,
        otp_locked_at timestamptz NULL,
        otp_verified_at timestamptz NULL,
        rejection_reason text NULL,
        uploaded_by uuid NOT NULL,
        uploaded_by_name text NOT NULL,
        reviewed_by uuid NULL,
        reviewed_by_name text NULL,
        reviewed_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX evidence_ticket_idx ON evidence (tenant_id, ticket_id, created_at)`);

    await q.query(`
      CREATE TABLE issue_reports (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        ticket_id uuid NULL,
        appointment_id uuid NULL,
        event_id uuid NULL,
        type text NOT NULL,
        severity text NOT NULL,
        description text NOT NULL,
        immediate_action text NULL,
        reported_by uuid NOT NULL,
        reported_by_name text NOT NULL,
        reported_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX issue_reports_ticket_idx ON issue_reports (tenant_id, ticket_id)`);
    await q.query(`CREATE INDEX issue_reports_appointment_idx ON issue_reports (tenant_id, appointment_id)`);

    await insertSystemFlow(q, TICKET_MACHINE, DEFAULT_TICKET_FLOW);
    await insertSystemFlow(q, APPOINTMENT_MACHINE, DEFAULT_APPOINTMENT_FLOW);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM status_transitions WHERE tenant_id IS NULL AND machine IN ($1, $2)`, [TICKET_MACHINE, APPOINTMENT_MACHINE]);
    await q.query(`DELETE FROM status_definitions WHERE tenant_id IS NULL AND machine IN ($1, $2)`, [TICKET_MACHINE, APPOINTMENT_MACHINE]);
    for (const t of [
      'issue_reports',
      'evidence',
      'staff_assignments',
      'appointment_reschedules',
      'appointments',
      'status_history',
      'service_ticket_events',
      'service_tickets',
      'ticket_number_counters',
      'contract_event_read_models',
      'contract_read_models',
      'tenants',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

async function insertSystemFlow(q: QueryRunner, machine: string, flow: StatusFlow): Promise<void> {
  for (const s of flow.statuses) {
    await q.query(
      `INSERT INTO status_definitions (tenant_id, machine, code, label, color, icon, display_order, is_initial, is_terminal, category, source)
       VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, 'system')`,
      [machine, s.code, s.label, s.color ?? null, s.icon ?? null, s.order, s.isInitial, s.isTerminal, s.category ?? null],
    );
  }
  for (const t of flow.transitions) {
    await q.query(
      `INSERT INTO status_transitions (tenant_id, machine, from_status, to_status, requires_reason, requires_evidence, is_automatic)
       VALUES (NULL, $1, $2, $3, $4, $5, $6)`,
      [machine, t.from, t.to, t.requiresReason, t.requiresEvidence, t.isAutomatic ?? false],
    );
  }
}
