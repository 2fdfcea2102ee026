import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Check-out takes the same fields as check-in, so it records how the technician's presence was established
 * too. Check-outs before this have none.
 */
export class CheckOutVerification1764500000000 implements MigrationInterface {
  name = 'CheckOutVerification1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_assignments ADD COLUMN check_out_verification_method text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_assignments DROP COLUMN check_out_verification_method`);
  }
}
