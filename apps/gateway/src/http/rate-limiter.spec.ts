import { gcraTake, LocalRateLimits } from './rate-limiter';

/** The limiter of one replica at `perMinute` requests per minute; waits in whole seconds, as Retry-After says. */
const limiterOf = (perMinute: number, maxKeys?: number) => {
  const limits = new LocalRateLimits(60_000 / perMinute, maxKeys);
  return { take: (key: string, now: number) => Math.ceil(limits.take(key, now) / 1000), limits };
};

describe('rate limit (GCRA token bucket)', () => {
  it('allows a burst up to the per-minute budget, then says how long to wait', () => {
    const guard = limiterOf(60);
    for (let i = 0; i < 60; i++) expect(guard.take('t:a', 0)).toBe(0);
    expect(guard.take('t:a', 0)).toBe(1);
  });

  it('refills continuously: one request per 1/limit of a minute', () => {
    const guard = limiterOf(6);
    for (let i = 0; i < 6; i++) guard.take('t:a', 0);
    expect(guard.take('t:a', 0)).toBe(10);
    expect(guard.take('t:a', 9_999)).toBeGreaterThan(0);
    expect(guard.take('t:a', 10_000)).toBe(0);
  });

  it('keeps one bucket per key', () => {
    const guard = limiterOf(1);
    expect(guard.take('t:a', 0)).toBe(0);
    expect(guard.take('t:a', 0)).toBeGreaterThan(0);
    expect(guard.take('t:b', 0)).toBe(0);
  });

  it('does not refuse the last request of a budget whose interval is not a whole number of milliseconds', () => {
    const guard = limiterOf(7);
    for (let i = 0; i < 7; i++) expect(guard.take('t:a', 0)).toBe(0);
    expect(guard.take('t:a', 0)).toBeGreaterThan(0);
  });

  it('does not count refused requests against the budget', () => {
    let tat: number | undefined;
    for (let i = 0; i < 2; i++) tat = gcraTake(tat, 0, 30_000).tat;
    const refused = gcraTake(tat, 0, 30_000);
    expect(refused).toEqual({ tat, waitMs: 30_000 });
    expect(gcraTake(refused.tat, 30_000, 30_000).waitMs).toBe(0);
  });

  it('evicts the least recently used keys one at a time, never every bucket at once', () => {
    const guard = limiterOf(2, 100);
    guard.take('t:busy', 0);
    guard.take('t:busy', 0);
    // A flood of new source addresses, the busy tenant still calling in between.
    for (let i = 0; i < 1_000; i++) {
      guard.take(`ip:10.0.${i >> 8}.${i & 255}`, 1);
      if (i % 50 === 0) expect(guard.take('t:busy', 1)).toBeGreaterThan(0);
    }
    expect(guard.limits.size).toBe(100);
    expect(guard.take('t:busy', 1)).toBeGreaterThan(0);
  });
});
