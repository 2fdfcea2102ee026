import { Client } from 'pg';
import { sessionOptions } from '../db/data-source-options';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { CLAIM_BATCH, RELAY_SETTINGS } from './outbox-relay';

interface ExplainedNode {
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: ExplainedNode[];
}

/** Rows every node of an executed plan produced, over all its loops: what a plan that compares rows pairwise multiplies. */
function rowsProduced(node: ExplainedNode): number {
  return node['Actual Rows'] * node['Actual Loops'] + (node.Plans ?? []).reduce((sum, child) => sum + rowsProduced(child), 0);
}

/**
 * The relay's claim, on an outbox of its own (a copy of the events service's table in a scratch schema), with
 * two connections: one that runs the claim as the relay does, one that stands for another round holding rows.
 */
describe('the outbox claim', () => {
  let env: TestEnvironment;
  let relay: Client;
  let other: Client;
  const schema = 'claim_test';

  const connect = async (settings: Readonly<Record<string, string>> = {}) => {
    const client = new Client({ connectionString: env.adminDatabaseUrl, options: sessionOptions({ search_path: schema, ...settings }) });
    await client.connect();
    return client;
  };

  /** Appends unpublished rows (or published ones) for the given aggregates, in this order; answers their ids. */
  const append = async (aggregates: string[], published = false): Promise<string[]> => {
    const { rows } = await other.query<{ id: string }>(
      `INSERT INTO outbox (id, type, version, tenant_id, correlation_id, source, actor, aggregate_id, payload, metadata, occurred_at, retention_class, created_at, published_at)
       SELECT gen_random_uuid(), 'TEST_WIDGET_CHANGED', 1, gen_random_uuid(), 'c', 'test', '{}', a.id, '{}', '{}', now(), 'standard', now(), ${published ? 'now()' : 'NULL'}
       FROM unnest($1::text[]) WITH ORDINALITY AS a(id, n) ORDER BY a.n
       RETURNING id`,
      [aggregates],
    );
    return rows.map((r) => r.id);
  };

  const claim = async (): Promise<string[]> => {
    await relay.query('BEGIN');
    try {
      const { rows } = await relay.query<{ id: string }>(CLAIM_BATCH);
      return rows.map((r) => r.id);
    } finally {
      await relay.query('ROLLBACK');
    }
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    other = await connect();
    await other.query(`CREATE SCHEMA ${schema}`);
    await other.query(`CREATE TABLE ${schema}.outbox (LIKE events.outbox INCLUDING ALL)`);
    relay = await connect(RELAY_SETTINGS);
  });

  beforeEach(async () => {
    await other.query('TRUNCATE outbox');
  });

  afterAll(async () => {
    await relay?.end();
    await other?.end();
    await env?.dispose();
  });

  it('takes rows in order and holds back an aggregate whose earlier row another round holds, not the others', async () => {
    const [a1, b1, a2, c1] = await append(['a', 'b', 'a', 'c']);
    expect(await claim()).toEqual([a1, b1, a2, c1]);

    await other.query('BEGIN');
    await other.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [a1]);
    // a1 is skipped (locked); a2 would overtake it.
    expect(await claim()).toEqual([b1, c1]);
    await other.query(`UPDATE outbox SET published_at = now() WHERE id = $1`, [a1]);
    await other.query('COMMIT');
    expect(await claim()).toEqual([b1, a2, c1]);
  });

  it('plans a cheap claim when the last ANALYZE saw no unpublished row and a burst arrived since', async () => {
    // The usual state of an outbox: statistics from a quiet moment, then a burst. The claim's earlier form
    // was planned as nested loops here and took 18 s for a backlog of 4,500 rows of one aggregate.
    await append(
      Array.from({ length: 2000 }, (_, i) => `quiet-${i}`),
      true,
    );
    await other.query('ANALYZE outbox');
    for (const burst of [Array.from({ length: 3000 }, () => 'one-aggregate'), Array.from({ length: 3000 }, (_, i) => `many-${i}`)]) {
      await other.query(`UPDATE outbox SET published_at = now() WHERE published_at IS NULL`);
      await append(burst);
      await relay.query('BEGIN');
      const [{ 'QUERY PLAN': explained }] = (await relay.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_BATCH}`)).rows;
      await relay.query('ROLLBACK');
      const plan = explained[0].Plan as ExplainedNode;
      expect(plan['Actual Rows']).toBe(200);
      // A few passes over the batch; the nested loops produced 880,000 rows per batch row.
      expect(rowsProduced(plan)).toBeLessThan(2500);
    }
  });
});
