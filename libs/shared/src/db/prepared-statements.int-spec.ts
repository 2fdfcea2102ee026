import { DataSource } from 'typeorm';
import { oneConnectionDataSource } from '../testing/one-connection-data-source';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { sendWithNext } from './begin-with-first-statement';
import { MAX_PREPARED_PER_CONNECTION, PreparingClient } from './prepared-statements';

describe('PreparingClient (pg client of every service pool)', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  /** Statements the server parsed on the pool's one connection. */
  let parses = 0;

  beforeAll(async () => {
    env = await createTestEnvironment();
    ds = await oneConnectionDataSource(env, PreparingClient, 'parseComplete', () => parses++);
    await ds.query('CREATE TABLE ps_things (id int PRIMARY KEY, title text NOT NULL CHECK (title <> $$$$))');
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.dispose();
  });

  const prepared = async (): Promise<string[]> =>
    ((await ds.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'cn\\_%' ORDER BY statement`)) as Array<{ statement: string }>).map(
      (r) => r.statement,
    );

  it('parses a statement run again once, with the right answers every time, inside and outside transactions', async () => {
    const select = 'SELECT id, title FROM ps_things WHERE id = $1';
    await ds.query('INSERT INTO ps_things (id, title) VALUES ($1, $2)', [1, 'one']);
    await ds.query('INSERT INTO ps_things (id, title) VALUES ($1, $2)', [2, 'two']);
    expect(await prepared()).toContain('INSERT INTO ps_things (id, title) VALUES ($1, $2)');
    const before = parses;
    for (const id of [1, 2, 1, 2]) expect(await ds.query(select, [id])).toEqual([{ id, title: id === 1 ? 'one' : 'two' }]);
    // A transaction's first statement goes with its BEGIN (BeginWithFirstStatementClient): still prepared.
    const inTx = await ds.transaction(async (tx) => [await tx.query(select, [2]), await tx.query(select, [1])]);
    expect(inTx).toEqual([[{ id: 2, title: 'two' }], [{ id: 1, title: 'one' }]]);
    // The SELECT parsed twice (unnamed on its first run, named on its second; never again), plus the
    // transaction's BEGIN, which is parsed with it.
    expect(parses - before).toBe(3);
  });

  it('answers a failing prepared statement with its error and runs it again afterwards', async () => {
    const insert = 'INSERT INTO ps_things (id, title) VALUES ($1, $2) RETURNING id';
    await expect(ds.query(insert, [1, 'dup'])).rejects.toThrow(/duplicate key/);
    await expect(ds.query(insert, [3, ''])).rejects.toThrow(/check constraint/);
    await expect(ds.transaction((tx) => tx.query(insert, [1, 'dup']))).rejects.toThrow(/duplicate key/);
    expect(await ds.query(insert, [3, 'three'])).toEqual([{ id: 3 }]);
  });

  it('runs a prepared statement again after a value failed to serialise (pg closes the statement on the server)', async () => {
    const select = 'SELECT title FROM ps_things WHERE id = $1 AND title <> $2';
    for (const _ of [1, 2]) expect(await ds.query(select, [1, 'x'])).toEqual([{ title: 'one' }]);
    const unserialisable = {
      toPostgres() {
        throw new Error('cannot serialise this value');
      },
    };
    await expect(ds.query(select, [1, unserialisable])).rejects.toThrow(/cannot serialise/);
    expect(await ds.query(select, [1, 'x'])).toEqual([{ title: 'one' }]);
    expect(await ds.transaction((tx) => tx.query(select, [1, 'x']))).toEqual([{ title: 'one' }]);
  });

  it('answers a statement that does not parse with its error every time, without a stale name', async () => {
    for (let i = 0; i < 3; i++) await expect(ds.query('SELEC id FROM ps_things WHERE id = $1', [1])).rejects.toThrow(/syntax error/);
    expect(await ds.query('SELECT count(*)::int AS n FROM ps_things WHERE id > $1', [0])).toEqual([{ n: 3 }]);
  });

  it('prepares a statement sent with the next one like any other, and parses it again after a failure before its Parse', async () => {
    const later = sendWithNext('INSERT INTO ps_things (id, title) VALUES ($1, $2)');
    const failing = sendWithNext('INSERT INTO ps_things (title, id) VALUES ($2, $1)');
    const before = parses;
    for (const id of [40, 41, 42, 43]) await ds.transaction((tx) => tx.query(later, [id, `n${id}`]));
    // Each transaction's BEGIN and COMMIT, and the INSERT twice (unnamed, then named; never again).
    expect(parses - before).toBe(4 * 2 + 2);
    expect(await prepared()).toContain(later.slice(later.indexOf('INSERT')));

    // A duplicate before a new text's first named run: its Parse is never processed, so it is parsed next time.
    const fresh = sendWithNext('INSERT INTO ps_things (title, id) SELECT $2, $1');
    await ds.transaction((tx) => tx.query(fresh, [44, 'n44']));
    await expect(
      ds.transaction(async (tx) => {
        await tx.query(failing, [40, 'duplicate']);
        await tx.query(fresh, [45, 'n45']);
      }),
    ).rejects.toThrow(/duplicate key/);
    await ds.transaction((tx) => tx.query(fresh, [46, 'n46']));
    await ds.transaction((tx) => tx.query(fresh, [47, 'n47']));
    expect(await ds.query('SELECT array_agg(id ORDER BY id) AS ids FROM ps_things WHERE id >= $1', [40])).toEqual([{ ids: [40, 41, 42, 43, 44, 46, 47] }]);
  });

  it('answers a transaction’s first statement that does not parse with its error every time (parsed in one round trip with BEGIN)', async () => {
    for (let i = 0; i < 3; i++) await expect(ds.transaction((tx) => tx.query('SELEC title FROM ps_things WHERE id = $1', [1]))).rejects.toThrow(/syntax error/);
  });

  it('prepares at most MAX_PREPARED_PER_CONNECTION statements on a connection', async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
      for (const _ of [1, 2]) expect(await ds.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    // The cap counts names given: a text whose Parse failed (the syntax error above) holds one unprepared.
    const count = (await prepared()).length;
    expect(count).toBeLessThanOrEqual(MAX_PREPARED_PER_CONNECTION);
    expect(count).toBeGreaterThan(MAX_PREPARED_PER_CONNECTION - 3);
  });
});
