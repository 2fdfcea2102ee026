import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A read model of the tickets service's appointments (visits), fed by its APPOINTMENT_* and LOCATION_CONFIRMED
 * events: the cockpit lists the next visits and the lifecycle events name a visit's location without reading
 * the tickets schema. `last_event_at` keeps an older message from overwriting a newer one.
 */
export class AppointmentReadModel1764100000020 implements MigrationInterface {
  name = 'AppointmentReadModel1764100000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE appointment_views (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        contract_id uuid NOT NULL,
        ticket_id uuid NULL,
        event_ids uuid[] NOT NULL DEFAULT '{}',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        timezone text NOT NULL,
        status text NOT NULL,
        address text NULL,
        lat double precision NULL,
        lng double precision NULL,
        assignee_ids uuid[] NOT NULL DEFAULT '{}',
        location_confirmed_at timestamptz NULL,
        last_event_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX appointment_views_next_idx ON appointment_views (tenant_id, starts_at, id)`);
    await q.query(`CREATE INDEX appointment_views_events_idx ON appointment_views USING gin (event_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE appointment_views`);
  }
}
