import { parseRetryAfter } from '../providers/provider-http';
import { retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  it('doubles the event type delay per attempt with at most 20 % jitter', () => {
    expect(retryDelayMs(1, 300, null, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(2, 300, null, () => 0.5)).toBe(600_000);
    expect(retryDelayMs(3, 300, null, () => 1)).toBe(1_440_000);
    expect(retryDelayMs(3, 300, null, () => 0)).toBe(960_000);
  });

  it('caps the delay at six hours', () => {
    expect(retryDelayMs(20, 300, null, () => 0.5)).toBe(6 * 3600 * 1000);
  });

  it('waits at least as long as the provider Retry-After asks', () => {
    expect(retryDelayMs(1, 300, 3_600_000, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, 300, 1000, () => 0.5)).toBe(300_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
