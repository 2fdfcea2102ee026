import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { GatewayConfig } from '../gateway.config';
import { RedisRateLimitStore } from './redis-rate-limit-store';

/** Keys the in-memory limiter remembers at most (~100 bytes each); beyond it the least recently used goes. */
export const MAX_LOCAL_KEYS = 100_000;
const WINDOW_MS = 60_000;
/** Sums of fractional intervals drift by a few ulps; a request is not refused for that. */
const EPSILON_MS = 0.001;
const WARN_EVERY_MS = 30_000;

/**
 * One take of the generic cell rate algorithm (GCRA), the token bucket kept as one number per key: the
 * theoretical arrival time `tat` of the next request. A request is allowed while `tat` stays within one
 * window (a minute's budget) of now; each allowed request moves it one interval (a minute / the limit).
 * Returns the new `tat` and the milliseconds to wait (0: allowed). The Redis store runs the same rule in
 * Lua (`redis-rate-limit-store.ts`).
 */
export function gcraTake(tat: number | undefined, now: number, intervalMs: number, windowMs = WINDOW_MS): { tat: number; waitMs: number } {
  const next = Math.max(tat ?? now, now) + intervalMs;
  const over = next - now - windowMs;
  if (over > EPSILON_MS) return { tat: tat ?? now, waitMs: over };
  return { tat: next, waitMs: 0 };
}

/**
 * The limiter of one replica: `tat` per key in a map kept in least-recently-used order, so a flood of new
 * keys (rotating source addresses) evicts the coldest keys one at a time and never resets the others.
 */
export class LocalRateLimits {
  private readonly tats = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = MAX_LOCAL_KEYS,
  ) {}

  /** Milliseconds to wait before `key` may make a request (0: allowed, and counted). */
  take(key: string, now: number): number {
    const before = this.tats.get(key);
    const { tat, waitMs } = gcraTake(before, now, this.intervalMs);
    if (before !== undefined) this.tats.delete(key);
    else if (this.tats.size >= this.maxKeys) this.tats.delete(this.tats.keys().next().value as string);
    this.tats.set(key, tat);
    return waitMs;
  }

  get size(): number {
    return this.tats.size;
  }
}

/**
 * Requests per key per minute (RATE_LIMIT_PER_MINUTE, bursts up to the same amount): `t:<tenant>` for
 * callers with a token, `ip:<address>` for public routes. With RATE_LIMIT_REDIS_URL the budget is shared
 * by every gateway replica through Redis (one atomic script per request); without it each replica counts
 * on its own, so N replicas allow up to N times the limit.
 *
 * Redis unreachable or too slow: the request is limited by this replica's own count instead (fail open to
 * the per-replica limit, never to no limit), with a warning every 30 s and
 * `gateway_rate_limit_store_errors_total`. An outage of a cache must not take the API down with it.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly local: LocalRateLimits;
  private readonly shared: RedisRateLimitStore | undefined;
  private readonly storeErrors;
  private warnedAt = 0;

  constructor(config: GatewayConfig, metrics: MetricsService) {
    const intervalMs = WINDOW_MS / config.RATE_LIMIT_PER_MINUTE;
    this.local = new LocalRateLimits(intervalMs);
    this.shared = config.RATE_LIMIT_REDIS_URL
      ? new RedisRateLimitStore(config.RATE_LIMIT_REDIS_URL, `${config.BROKER_NAMESPACE}:ratelimit:`, intervalMs, WINDOW_MS)
      : undefined;
    this.storeErrors = metrics.counter({
      name: 'gateway_rate_limit_store_errors_total',
      help: 'Rate limit decisions taken by this replica alone because the shared store (Redis) failed',
    });
  }

  async onModuleInit(): Promise<void> {
    if (!this.shared) return;
    try {
      await this.shared.connect();
    } catch (e) {
      this.warn(`rate limit store unreachable at boot (${(e as Error).message}); limiting per replica until it answers`);
    }
  }

  onApplicationShutdown(): void {
    this.shared?.close();
  }

  /** Counts one request of `key`; 429 RATE_LIMITED with the seconds to wait when its budget is spent. */
  async check(key: string): Promise<void> {
    const waitMs = await this.take(key);
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw new DomainError(ErrorCode.RATE_LIMITED, `too many requests; retry in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    }
  }

  private async take(key: string): Promise<number> {
    if (this.shared) {
      try {
        return await this.shared.take(key);
      } catch (e) {
        this.storeErrors.inc();
        this.warn(`rate limit store failed (${(e as Error).message}); limiting per replica meanwhile`);
      }
    }
    return this.local.take(key, Date.now());
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = now;
    this.logger.warn(message);
  }
}
