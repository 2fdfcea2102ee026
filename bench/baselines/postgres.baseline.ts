import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { BenchContext } from '../lib/context';
import { LatencyRecorder, msSince } from '../lib/latency';
import { Measurement } from '../lib/result';
import { closedLoop } from './rabbitmq.baseline';

const TX_CONCURRENCY = 10;
const MULTI_ROW = 1000;

/**
 * Tables shaped like a contract event and an outbox row (uuid keys, a jsonb payload, the index a
 * cockpit needs, the partial index a relay needs) in a schema of the bench database that no app uses.
 */
const SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS bench_raw;
CREATE TABLE IF NOT EXISTS bench_raw.business_row (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL, contract_id uuid NOT NULL, task_id text NOT NULL,
  type text NOT NULL, title text NOT NULL, status text NOT NULL, scheduled_date timestamptz NOT NULL,
  version int NOT NULL DEFAULT 1, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS business_row_tenant_date ON bench_raw.business_row (tenant_id, scheduled_date);
CREATE TABLE IF NOT EXISTS bench_raw.outbox_row (
  id uuid PRIMARY KEY, tenant_id uuid NOT NULL, type text NOT NULL, aggregate_id uuid NOT NULL,
  envelope jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_row_unpublished ON bench_raw.outbox_row (created_at) WHERE published_at IS NULL;
`;

const INSERT_ROW = `INSERT INTO bench_raw.business_row (id, tenant_id, contract_id, task_id, type, title, status, scheduled_date, data) VALUES ($1, $2, $3, $4, 'service', 'Quarterly service visit', 'scheduled', now(), $5)`;
const INSERT_OUTBOX = `INSERT INTO bench_raw.outbox_row (id, tenant_id, type, aggregate_id, envelope) VALUES ($1, $2, 'CONTRACT_EVENT_STATUS_CHANGED', $3, $4)`;

export async function postgresBaseline(b: BenchContext): Promise<Measurement[]> {
  const pool = new Pool({ connectionString: b.databaseUrl, max: TX_CONCURRENCY + 1 });
  const tenantId = randomUUID();
  const contractId = randomUUID();
  let seq = 0;
  try {
    await pool.query(SCHEMA_SQL);
    const tx = await closedLoop(
      b,
      'raw.postgres.outbox-tx',
      'tx: 1 business row + 1 outbox row, 10 concurrent',
      TX_CONCURRENCY,
      async () => {
        const c = await pool.connect();
        try {
          const id = randomUUID();
          await c.query('BEGIN');
          await c.query(INSERT_ROW, [id, tenantId, contractId, `TSK-${++seq}`, JSON.stringify({ notes: 'bench', amount: null })]);
          await c.query(INSERT_OUTBOX, [
            randomUUID(),
            tenantId,
            id,
            JSON.stringify({ type: 'CONTRACT_EVENT_STATUS_CHANGED', payload: { eventId: id, previousStatus: 'scheduled', newStatus: 'in_progress' } }),
          ]);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        } finally {
          c.release();
        }
      },
      'tx/s',
    );

    // One statement inserting 1,000 rows, repeated: the ceiling for materialising events.
    const latency = new LatencyRecorder();
    const insertBatch = async () => {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = 0; i < MULTI_ROW; i++) {
        const p = params.length;
        values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, 'service', 'Monthly service visit', 'scheduled', $${p + 5}, $${p + 6})`);
        params.push(randomUUID(), tenantId, contractId, `TSK-M${++seq}`, new Date(Date.now() + i * 86400000).toISOString(), '{"sequenceNumber":1}');
      }
      const t0 = process.hrtime.bigint();
      await pool.query(
        `INSERT INTO bench_raw.business_row (id, tenant_id, contract_id, task_id, type, title, status, scheduled_date, data) VALUES ${values.join(',')}`,
        params,
      );
      return msSince(t0);
    };
    await insertBatch(); // warm-up
    const batches = b.opts.quick ? 10 : 30;
    let totalMs = 0;
    for (let i = 0; i < batches; i++) {
      const ms = await insertBatch();
      latency.record(ms);
      totalMs += ms;
    }
    const multi: Measurement = {
      key: 'raw.postgres.multi-row-insert',
      label: 'multi-row INSERT of 1,000 rows',
      throughput: ((batches * MULTI_ROW) / totalMs) * 1000,
      unit: 'rows/s',
      count: batches * MULTI_ROW,
      durationMs: Math.round(totalMs),
      latencyMs: latency.summary(),
      notes: 'latency = one 1,000-row statement',
      extra: { statements: batches, rowsPerStatement: MULTI_ROW },
    };
    return [tx, multi];
  } finally {
    await pool.query('DROP SCHEMA IF EXISTS bench_raw CASCADE').catch(() => undefined);
    await pool.end();
  }
}
