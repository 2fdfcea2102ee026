import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The request journal (request-journal.ts): one row per RPC request whose work committed, written in that
 * work's transaction, with the request's answer (sealed) once it is known. A second delivery of the request
 * finds the row. BRIN on received_at for the purge, as for the inbox.
 */
export class RpcRequests1764000000004 implements MigrationInterface {
  name = 'RpcRequests1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rpc_requests (
        request_id text PRIMARY KEY,
        operation text NOT NULL,
        answer jsonb,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX rpc_requests_received_brin ON rpc_requests USING brin (received_at) WITH (autosummarize = on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rpc_requests`);
  }
}
