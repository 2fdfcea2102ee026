import { DataSource } from 'typeorm';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { afterCommit, commitPending } from './after-commit';

describe('afterCommit', () => {
  let env: TestEnvironment;
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    const url = new URL(env.adminUrl);
    url.pathname = `/${env.database}`;
    ds = await new DataSource({ type: 'postgres', url: url.toString() }).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.dispose();
  });

  it('runs once per key after the outermost commit, not on a savepoint release', async () => {
    const ran: string[] = [];
    await ds.transaction(async (tx) => {
      afterCommit(tx, 'a', () => ran.push('a'));
      afterCommit(tx, 'a', () => ran.push('a again'));
      expect(commitPending(tx, 'a')).toBe(true);
      expect(commitPending(tx, 'b')).toBe(false);
      await tx.transaction(async (inner) => {
        afterCommit(inner, 'b', () => ran.push('b'));
      });
      // The savepoint is released, the transaction still open: nothing has run yet.
      expect(ran).toEqual([]);
      await tx.query('SELECT 1');
    });
    expect(ran).toEqual(['a', 'b']);
  });

  it('forgets everything when the transaction rolls back, and a failing callback does not fail the commit', async () => {
    const ran: string[] = [];
    await expect(
      ds.transaction(async (tx) => {
        afterCommit(tx, 'lost', () => ran.push('lost'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await ds.transaction(async (tx) => {
      afterCommit(tx, 'boom', () => {
        throw new Error('callback failed');
      });
      afterCommit(tx, 'after', () => ran.push('after'));
    });
    expect(ran).toEqual(['after']);
  });

  it('runs at once outside a transaction (the write is already committed)', () => {
    const ran: string[] = [];
    afterCommit(ds.manager, 'now', () => ran.push('now'));
    expect(ran).toEqual(['now']);
  });
});
