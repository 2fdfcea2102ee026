import { DataSource } from 'typeorm';
import { inRange, installedVersion } from '../testing/installed-version';
import { oneConnectionDataSource } from '../testing/one-connection-data-source';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { BeginWithFirstStatementClient, RELIES_ON, sendWithNext } from './begin-with-first-statement';
import { execWithNext, sql } from './sql';

describe('BEGIN with the first statement (pg client of every service pool)', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  /** Round trips of the pool's one client: each ends with the server's ReadyForQuery. */
  let trips = 0;

  beforeAll(async () => {
    env = await createTestEnvironment();
    ds = await oneConnectionDataSource(env, BeginWithFirstStatementClient, 'readyForQuery', () => trips++);
    await ds.query('CREATE TABLE bw_things (id int PRIMARY KEY, title text NOT NULL)');
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.dispose();
  });

  async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; trips: number }> {
    const before = trips;
    const result = await fn();
    return { result, trips: trips - before };
  }

  it(`was checked against the installed ${RELIES_ON.package} (${RELIES_ON.range}; after an upgrade, check pg's Query#prepare and widen the range)`, () => {
    expect(inRange(installedVersion(RELIES_ON.package), RELIES_ON.range)).toBe(true);
  });

  it('sends BEGIN in the same write as the first statement, and answers that statement’s own result', async () => {
    const { result, trips: n } = await counted(() =>
      ds.transaction(async (tx) => {
        const inserted = (await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2) RETURNING id, title', [1, 'one'])) as unknown;
        const updated = (await tx.query('UPDATE bw_things SET title = $2 WHERE id = $1', [1, 'uno'])) as unknown;
        const inTx = (await tx.query('SELECT now() = statement_timestamp() AS fresh, txid_current_if_assigned() IS NOT NULL AS writing')) as unknown;
        return { inserted, updated, inTx };
      }),
    );
    expect(result.inserted).toEqual([{ id: 1, title: 'one' }]);
    expect(result.updated).toEqual([[], 1]);
    // now() is the transaction's start, earlier than this statement's: the three ran in one transaction.
    expect(result.inTx).toEqual([{ fresh: false, writing: true }]);
    // BEGIN+INSERT, UPDATE, SELECT, COMMIT (was five).
    expect(n).toBe(4);
  });

  it('rolls back everything when a later statement fails, and the client serves the next caller cleanly', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2)', [2, 'two']);
        await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2)', [2, 'duplicate']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await ds.query('SELECT count(*)::int AS n FROM bw_things WHERE id = $1', [2])).toEqual([{ n: 0 }]);
  });

  it('rolls back when the first statement itself fails (it ran inside the transaction)', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2)', [3, null]);
      }),
    ).rejects.toThrow(/null value/);
    const after = (await ds.query('SELECT $1::int AS x', [1])) as unknown;
    expect(after).toEqual([{ x: 1 }]);
  });

  it('sends nothing for a transaction that ran no statement', async () => {
    const { trips: n } = await counted(() => ds.transaction(async () => 'nothing'));
    expect(n).toBe(0);
  });

  it('runs a plain-text first statement (no parameters, maybe several) after a BEGIN of its own, still in the transaction', async () => {
    const { result, trips: n } = await counted(() =>
      ds
        .transaction(async (tx) => {
          await tx.query("INSERT INTO bw_things (id, title) VALUES (4, 'four'); INSERT INTO bw_things (id, title) VALUES (5, 'five')");
          throw new Error('changed my mind');
        })
        .catch((e: Error) => e.message),
    );
    expect(result).toBe('changed my mind');
    expect(n).toBe(3);
    expect(await ds.query('SELECT count(*)::int AS n FROM bw_things WHERE id IN (4, 5)')).toEqual([{ n: 0 }]);
  });

  it('does not carry a transaction that was marked due and never ended over to the next user of the client', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.query('START TRANSACTION');
    await runner.release();
    const again = ds.createQueryRunner();
    await again.connect();
    try {
      expect(await again.query('SELECT txid_current_if_assigned() IS NULL AS none, $1::int AS x', [7])).toEqual([{ none: true, x: 7 }]);
      // Outside a transaction: a ROLLBACK would only warn, and a SET LOCAL would not last.
      expect(await again.query("SELECT current_setting('transaction_isolation') AS iso")).toEqual([{ iso: 'read committed' }]);
    } finally {
      await again.release();
    }
  });

  it('keeps nested transactions (savepoints) and isolation levels working', async () => {
    await ds.transaction('SERIALIZABLE', async (tx) => {
      expect(await tx.query("SELECT current_setting('transaction_isolation') AS iso")).toEqual([{ iso: 'serializable' }]);
      await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2)', [6, 'six']);
    });
    expect(await ds.query('SELECT title FROM bw_things WHERE id = $1', [6])).toEqual([{ title: 'six' }]);
  });

  describe('a statement sent with the next one (sendWithNext)', () => {
    const insert = sendWithNext('INSERT INTO bw_things (id, title) VALUES ($1, $2)');
    const titles = async (ids: number[]) =>
      ((await ds.query('SELECT title FROM bw_things WHERE id = ANY($1) ORDER BY id', [ids])) as Array<{ title: string }>).map((r) => r.title);

    it('goes out with the COMMIT: a transaction of one such statement is one round trip', async () => {
      const { trips: n } = await counted(() => ds.transaction((tx) => tx.query(insert, [10, 'ten'])));
      expect(n).toBe(1);
      expect(await titles([10])).toEqual(['ten']);
    });

    it('is what execWithNext sends (the sql helpers), and is refused outside a transaction', async () => {
      const { trips: n } = await counted(() => ds.transaction((tx) => execWithNext(tx, sql`INSERT INTO bw_things (id, title) VALUES (${40}, ${'forty'})`)));
      expect(n).toBe(1);
      expect(await titles([40])).toEqual(['forty']);
      await expect(execWithNext(ds.manager, sql`INSERT INTO bw_things (id, title) VALUES (${41}, ${'alone'})`)).rejects.toThrow(/needs a transaction/);
      expect(await titles([41])).toEqual([]);
    });

    it('goes out in front of the next statement, which sees its row', async () => {
      const { result, trips: n } = await counted(() =>
        ds.transaction(async (tx) => {
          await tx.query(insert, [11, 'eleven']);
          await tx.query(insert, [12, 'twelve']);
          return tx.query('SELECT count(*)::int AS n FROM bw_things WHERE id IN ($1, $2)', [11, 12]);
        }),
      );
      expect(result).toEqual([{ n: 2 }]);
      // BEGIN + both INSERTs + SELECT, then COMMIT.
      expect(n).toBe(2);
    });

    it('fails as the next statement, which does not run, and the transaction rolls back', async () => {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query('INSERT INTO bw_things (id, title) VALUES ($1, $2)', [13, 'thirteen']);
          await tx.query(insert, [13, 'duplicate']);
          await tx.query('UPDATE bw_things SET title = $2 WHERE id = $1', [13, 'changed']);
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await titles([13])).toEqual([]);
      // The failure at the COMMIT itself: nothing is committed either.
      await expect(ds.transaction((tx) => tx.query(insert, [14, null]))).rejects.toThrow(/null value/);
      expect(await titles([14])).toEqual([]);
      expect(await ds.query('SELECT $1::int AS x', [1])).toEqual([{ x: 1 }]);
    });

    it('is dropped by a rollback to a savepoint taken before it, and by a ROLLBACK', async () => {
      await ds.transaction(async (tx) => {
        await tx.query(insert, [15, 'fifteen']);
        await tx.query('SAVEPOINT inner_work');
        await tx.query(insert, [16, 'sixteen']);
        await tx.query('ROLLBACK TO SAVEPOINT inner_work');
        await tx.query(insert, [17, 'seventeen']);
      });
      expect(await titles([15, 16, 17])).toEqual(['fifteen', 'seventeen']);
      const { trips: n } = await counted(() =>
        ds
          .transaction(async (tx) => {
            await tx.query(insert, [18, 'eighteen']);
            throw new Error('changed my mind');
          })
          .catch(() => undefined),
      );
      // Neither the BEGIN nor the INSERT was needed: a ROLLBACK with nothing sent costs nothing.
      expect(n).toBe(0);
      expect(await titles([18])).toEqual([]);
    });

    it('goes out alone before a text of several statements, which the extended protocol does not carry', async () => {
      await ds.transaction(async (tx) => {
        await tx.query(insert, [19, 'nineteen']);
        await tx.query("UPDATE bw_things SET title = 'XIX' WHERE id = 19; UPDATE bw_things SET title = title || '!' WHERE id = 19");
      });
      expect(await titles([19])).toEqual(['XIX!']);
    });

    it('may answer rows nobody reads (a set_config for the transaction), and the next statement answers its own', async () => {
      const { result, trips: n } = await counted(() =>
        ds.transaction(async (tx) => {
          await tx.query(sendWithNext(`SELECT set_config('enable_bitmapscan', $1, true)`), ['off']);
          return tx.query(`SELECT current_setting('enable_bitmapscan') AS setting, $1::int AS x`, [5]);
        }),
      );
      expect(result).toEqual([{ setting: 'off', x: 5 }]);
      expect(n).toBe(2);
    });

    it('is refused outside a transaction, where nothing may follow it', async () => {
      await expect(ds.query(insert, [22, 'twenty-two'])).rejects.toThrow(/needs a transaction/);
      expect(await titles([22])).toEqual([]);
    });

    it('fails in place when a value cannot be sent', async () => {
      const unserialisable = {
        toPostgres() {
          throw new Error('cannot serialise this value');
        },
      };
      await ds.transaction(async (tx) => {
        await expect(tx.query(insert, [20, unserialisable])).rejects.toThrow(/cannot serialise/);
        await tx.query(insert, [21, 'twenty-one']);
      });
      expect(await titles([20, 21])).toEqual(['twenty-one']);
    });
  });
});
