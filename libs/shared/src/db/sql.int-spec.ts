import { DataSource } from 'typeorm';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { runExclusively, tryTransactionLock } from './advisory-lock';
import { exec, many, maybeOne, one, selectList, sql } from './sql';

describe('sql.ts and advisory locks against Postgres', () => {
  let env: TestEnvironment;
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    const url = new URL(env.adminUrl);
    url.pathname = `/${env.database}`;
    ds = await new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 4 } }).initialize();
    await ds.query(`CREATE TABLE sql_things (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL UNIQUE, tags text[] NOT NULL, data jsonb NULL,
      amount numeric(10,2) NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now())`);
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.dispose();
  });

  const T = '6f1a3c1e-7e0b-4b53-9a51-3d8f3f1f2b10';
  const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
  const COLUMNS = selectList('t', ['id', 'tenantId', 'title', 'tags', 'data', 'amount', 'createdAt'], { amount: 't.amount::text' });

  it('writes arrays and JSON, reads rows typed by their aliases, and counts what a statement touched', async () => {
    const inserted = await exec(
      ds.manager,
      sql`INSERT INTO sql_things (id, tenant_id, title, tags, data)
          SELECT u.id, ${T}, u.title, '{}', ${sql.json({ a: [1, 2] })} FROM unnest(${sql.array(ids, 'uuid')}, ${sql.array(['a', 'b'], 'text')}) AS u(id, title)`,
    );
    expect(inserted).toBe(2);
    const rows = await many<{ id: string; tenantId: string; data: unknown; amount: string; createdAt: Date }>(
      ds.manager,
      sql`SELECT ${COLUMNS} FROM sql_things t WHERE t.tenant_id = ${T} AND t.id = ANY(${sql.array(ids, 'uuid')}) ORDER BY t.title`,
    );
    expect(rows.map((r) => [r.tenantId, r.data, r.amount, r.createdAt instanceof Date])).toEqual([
      [T, { a: [1, 2] }, '0.00', true],
      [T, { a: [1, 2] }, '0.00', true],
    ]);
    expect(await maybeOne(ds.manager, sql`SELECT id FROM sql_things WHERE title = ${'none'}`)).toBeNull();
    await expect(maybeOne(ds.manager, sql`SELECT id FROM sql_things`)).rejects.toThrow('expected at most one row, got 2');
    await expect(one(ds.manager, sql`SELECT id FROM sql_things WHERE title = ${'none'}`)).rejects.toThrow('expected one row, got 0');
    expect(await exec(ds.manager, sql`UPDATE sql_things SET data = ${sql.json(null)} WHERE title = ${'a'}`)).toBe(1);
    expect((await one<{ data: unknown }>(ds.manager, sql`SELECT data FROM sql_things WHERE title = ${'a'}`)).data).toBeNull();
  });

  it('runs a statement with an embedded data-modifying CTE in the caller’s transaction, rolled back with it', async () => {
    const embedded = sql`INSERT INTO sql_things (id, tenant_id, title, tags) VALUES (${'00000000-0000-4000-8000-000000000003'}, ${T}, ${'c'}, ${sql.array(['x'], 'text')})`;
    await expect(
      ds.transaction(async (tx) => {
        const { n } = await one<{ n: number }>(tx, sql`WITH added AS (${embedded} RETURNING 1) SELECT count(*)::int AS n FROM added`);
        expect(n).toBe(1);
        expect(await many(tx, sql`SELECT 1 FROM sql_things WHERE title = ${'c'}`)).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await many(ds.manager, sql`SELECT 1 FROM sql_things WHERE title = ${'c'}`)).toEqual([]);
  });

  it('lets one transaction at a time hold an advisory lock, and runs an exclusive job once', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const took = new Promise<void>((r) => (holding = r));
    const first = ds.transaction(async (tx) => {
      expect(await tryTransactionLock(tx, 'sql-spec:lock')).toBe(true);
      holding();
      await held;
    });
    await took;
    expect(await ds.transaction((tx) => tryTransactionLock(tx, 'sql-spec:lock'))).toBe(false);
    expect(await runExclusively(ds, 'sql-spec:lock', async () => 'ran')).toEqual({ ran: false });
    release();
    await first;
    expect(await runExclusively(ds, 'sql-spec:lock', async () => 'ran')).toEqual({ ran: true, value: 'ran' });
  });
});
