import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayConfig } from '../gateway.config';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 100_000;

/**
 * Per-tenant token bucket: RATE_LIMIT_PER_MINUTE requests, refilled continuously, bursts up to the same
 * amount. Unauthenticated routes are limited per client address. In memory, so each gateway replica
 * counts on its own: N replicas allow up to N× the limit (a shared store such as Redis would fix that).
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(config: GatewayConfig) {
    this.capacity = config.RATE_LIMIT_PER_MINUTE;
    this.perMs = config.RATE_LIMIT_PER_MINUTE / 60_000;
  }

  /** Takes one request from the bucket of `key` (`t:<tenant>`, or `ip:<address>` for unauthenticated callers); 429 when empty. */
  check(key: string): void {
    const retryAfter = this.take(key, Date.now());
    if (retryAfter > 0) {
      throw new DomainError(ErrorCode.RATE_LIMITED, `too many requests; retry in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    }
  }

  /** Takes one token; returns 0 when allowed, else the whole seconds until a token is available. */
  take(key: string, now: number): number {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
      b = { tokens: this.capacity, updatedAt: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.updatedAt) * this.perMs);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }
}
