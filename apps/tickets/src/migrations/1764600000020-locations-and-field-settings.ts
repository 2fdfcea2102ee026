import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Locations and per-tenant field settings:
 * - a visit's location can be confirmed (who, when, contact, instructions, access) and its issues reported;
 * - a check-in keeps how far it was from the visit's location and whether that was outside the tenant's radius;
 * - `field_settings`: one row per tenant that changed a default (its evidence types, its check-in radius).
 */
export class LocationsAndFieldSettings1764600000020 implements MigrationInterface {
  name = 'LocationsAndFieldSettings1764600000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointments
      ADD COLUMN location_confirmed_at timestamptz NULL,
      ADD COLUMN location_confirmed_by uuid NULL,
      ADD COLUMN location_details jsonb NULL`);
    await q.query(`ALTER TABLE staff_assignments
      ADD COLUMN check_in_distance_m double precision NULL,
      ADD COLUMN check_in_outside_radius boolean NULL`);
    await q.query(`
      CREATE TABLE location_issues (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        appointment_id uuid NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
        issue_type text NOT NULL,
        description text NOT NULL,
        impact_level text NOT NULL,
        photo_urls text[] NOT NULL DEFAULT '{}',
        needs_immediate boolean NOT NULL,
        reason text NULL,
        distance_m double precision NULL,
        reported_by uuid NOT NULL,
        reported_by_name text NOT NULL,
        reported_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX location_issues_appointment_idx ON location_issues (tenant_id, appointment_id, reported_at)`);
    await q.query(`
      CREATE TABLE field_settings (
        tenant_id uuid PRIMARY KEY,
        evidence_types jsonb NULL,
        check_in_radius_m int NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE field_settings`);
    await q.query(`DROP TABLE location_issues`);
    await q.query(`ALTER TABLE staff_assignments DROP COLUMN check_in_distance_m, DROP COLUMN check_in_outside_radius`);
    await q.query(`ALTER TABLE appointments DROP COLUMN location_confirmed_at, DROP COLUMN location_confirmed_by, DROP COLUMN location_details`);
  }
}
