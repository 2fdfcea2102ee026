import { GatewayConfig } from '../gateway.config';
import { RateLimiter } from './rate-limiter';

const guardWith = (perMinute: number) => new RateLimiter(Object.assign(new GatewayConfig(), { RATE_LIMIT_PER_MINUTE: perMinute }));

describe('RateLimiter token bucket', () => {
  it('allows a burst up to the per-minute budget, then says how long to wait', () => {
    const guard = guardWith(60);
    for (let i = 0; i < 60; i++) expect(guard.take('t:a', 0)).toBe(0);
    expect(guard.take('t:a', 0)).toBe(1);
  });

  it('refills continuously: one token per 1/limit of a minute', () => {
    const guard = guardWith(6);
    for (let i = 0; i < 6; i++) guard.take('t:a', 0);
    expect(guard.take('t:a', 0)).toBe(10);
    expect(guard.take('t:a', 9_999)).toBeGreaterThan(0);
    expect(guard.take('t:a', 10_000)).toBe(0);
  });

  it('keeps one bucket per key', () => {
    const guard = guardWith(1);
    expect(guard.take('t:a', 0)).toBe(0);
    expect(guard.take('t:a', 0)).toBeGreaterThan(0);
    expect(guard.take('t:b', 0)).toBe(0);
  });
});
