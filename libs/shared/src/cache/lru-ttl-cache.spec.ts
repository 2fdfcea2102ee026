import { InMemoryTransactions } from '../testing/in-memory-transactions';
import { LruTtlCache } from './lru-ttl-cache';

describe('LruTtlCache', () => {
  let now = 0;
  const cache = (over: Partial<{ ttlMs: number; maxGroups: number }> = {}) =>
    new LruTtlCache({ name: 'test', ttlMs: 1000, maxGroups: 3, now: () => now, ...over });
  const counter = () => {
    let n = 0;
    return () => Promise.resolve(++n);
  };

  beforeEach(() => (now = 0));

  it('answers from memory until the time to live is over', async () => {
    const c = cache();
    const load = counter();
    expect(await c.get('t1', 'flows', load)).toBe(1);
    now = 999;
    expect(await c.get('t1', 'flows', load)).toBe(1);
    now = 1000;
    expect(await c.get('t1', 'flows', load)).toBe(2);
  });

  it('shares one load between concurrent misses and keeps no failed load', async () => {
    const c = cache();
    let calls = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++calls), 5));
    expect(await Promise.all([c.get('t1', 'k', slow), c.get('t1', 'k', slow)])).toEqual([1, 1]);
    await expect(c.get('t2', 'k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await new Promise((r) => setImmediate(r));
    expect(await c.get('t2', 'k', () => Promise.resolve('up'))).toBe('up');
  });

  it('keeps at most maxGroups groups, dropping the least recently used', async () => {
    const c = cache();
    for (const t of ['a', 'b', 'c']) await c.get(t, 'k', () => Promise.resolve(t));
    await c.get('a', 'k', () => Promise.resolve('a again'));
    await c.get('d', 'k', () => Promise.resolve('d'));
    expect(c.size).toBe(3);
    expect(await c.get('b', 'k', () => Promise.resolve('b reloaded'))).toBe('b reloaded');
    expect(await c.get('a', 'k', () => Promise.resolve('a reloaded'))).toBe('a');
  });

  it('forgets a group now and after the commit of a change; the writing transaction reads its own rows', async () => {
    const c = cache();
    const tx = new InMemoryTransactions();
    let stored = 'old';
    const load = () => Promise.resolve(stored);
    expect(await c.get('t1', 'flows', load)).toBe('old');
    await tx.run(async (t) => {
      c.invalidateOnCommit(t, 't1');
      stored = 'new';
      // another connection still reads the committed rows, and may cache them until the commit
      expect(await c.get('t1', 'flows', () => Promise.resolve('old'))).toBe('old');
      expect(await c.get('t1', 'flows', load, t)).toBe('new');
    });
    expect(await c.get('t1', 'flows', load)).toBe('new');
  });

  it('with no time to live, always loads', async () => {
    const c = cache({ ttlMs: 0 });
    const load = counter();
    await c.get('t', 'k', load);
    expect(await c.get('t', 'k', load)).toBe(2);
  });
});
