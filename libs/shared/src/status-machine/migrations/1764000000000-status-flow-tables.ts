import { MigrationInterface, QueryRunner } from 'typeorm';
import { STATUS_FLOW_DDL } from '../status-flow.store';

/** Shared by every service that owns a status machine; each applies it to its own schema. */
export class StatusFlowTables1764000000000 implements MigrationInterface {
  name = 'StatusFlowTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(STATUS_FLOW_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE status_transitions; DROP TABLE status_definitions;');
  }
}
