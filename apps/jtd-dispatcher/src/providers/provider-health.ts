import { Injectable } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  handleAll,
  IBreaker,
  IsolatedCircuitError,
} from 'cockatiel';
import { Clock } from '@app/shared/time/clock';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { SendOutcome } from './delivery-adapter';

/** What a provider did with one send: called (its outcome and latency), or not called and why. */
export type ProviderCall = { called: true; outcome: SendOutcome; latencyMs: number } | { called: false; reason: 'circuit_open' | 'throttled'; waitMs: number };

export type CircuitName = 'closed' | 'open' | 'half_open';

export interface BreakerTerms {
  consecutiveFailures: number;
  /** 0: off. */
  failureRatio: number;
  window: number;
  cooldownMs: number;
}

/** Codes that say "slow down", not "down": they never count against a provider's circuit. */
const THROTTLE_CODES = new Set(['RATE_LIMITED', 'QUOTA_EXCEEDED']);
/** Retryable codes about this message, not about the provider's health (MSG91: duplicate within 10 s, route closed for now). */
const MESSAGE_CODES = new Set(['MSG91_311', 'MSG91_306']);

/** A 429 (or FCM QUOTA_EXCEEDED): the provider asks to slow down. */
export function isThrottle(o: SendOutcome): boolean {
  return o.kind === 'retryable' && (o.httpStatus === 429 || THROTTLE_CODES.has(o.code));
}

/** What counts against a provider's circuit: 5xx, timeouts, network errors. Not throttling, not a refusal of the message (4xx, MSG91 codes). */
export function isHardFailure(o: SendOutcome): boolean {
  return o.kind === 'retryable' && !isThrottle(o) && !MESSAGE_CODES.has(o.code);
}

/**
 * Opens after `consecutiveFailures` hard failures in a row or, when `failureRatio` > 0, when that share of
 * the last `window` calls failed (once `window` calls were seen). cockatiel's own breakers, combined.
 */
export class ConsecutiveOrRatioBreaker implements IBreaker {
  private readonly consecutive: ConsecutiveBreaker;
  private readonly ratio: CountBreaker | null;

  constructor(t: BreakerTerms) {
    this.consecutive = new ConsecutiveBreaker(t.consecutiveFailures);
    this.ratio = t.failureRatio > 0 ? new CountBreaker({ threshold: t.failureRatio, size: t.window, minimumNumberOfCalls: t.window }) : null;
  }

  get state(): unknown {
    return { consecutive: this.consecutive.state, ratio: this.ratio?.state ?? null };
  }

  set state(value: unknown) {
    const v = value as { consecutive: number; ratio: unknown };
    this.consecutive.state = v.consecutive;
    if (this.ratio && v.ratio !== null) this.ratio.state = v.ratio;
  }

  success(state: CircuitState): void {
    this.consecutive.success();
    this.ratio?.success(state);
  }

  failure(state: CircuitState): boolean {
    const inARow = this.consecutive.failure();
    const share = this.ratio?.failure(state) ?? false;
    return inARow || share;
  }
}

/** The circuit of one provider: a cockatiel breaker on send outcomes (a hard failure is a failed call; a thrown error too). */
export function providerCircuit(t: BreakerTerms): CircuitBreakerPolicy {
  return circuitBreaker(
    handleAll.orWhenResult((r) => isHardFailure(r as SendOutcome)),
    {
      halfOpenAfter: t.cooldownMs,
      breaker: new ConsecutiveOrRatioBreaker(t),
    },
  );
}

interface Circuit {
  policy: CircuitBreakerPolicy;
  /** Date.now() when it last opened (cockatiel measures the cool-down with Date.now()). */
  openedAt: number;
  /** Clock time until which the provider asked us to wait (its Retry-After). */
  throttledUntil: number;
}

/**
 * The health of each provider of each channel, shared by every send of this process: a circuit breaker
 * (closed → open after N hard failures in a row or a failure ratio → half-open after the cool-down: one
 * probe goes through, the others wait for it → closed on success, open again on failure) and the
 * provider's Retry-After after a 429 (no call until then; not a failure). Each replica keeps its own: a
 * breaker reacts to what this process sees, and needs no coordination to be right.
 */
@Injectable()
export class ProviderHealth {
  private readonly circuits = new Map<string, Circuit>();
  private readonly terms: BreakerTerms;

  constructor(
    config: JtdDispatcherConfig,
    private readonly metrics: JtdMetrics,
    private readonly clock: Clock,
  ) {
    this.terms = {
      consecutiveFailures: config.JTD_BREAKER_CONSECUTIVE_FAILURES,
      failureRatio: config.JTD_BREAKER_FAILURE_RATIO,
      window: config.JTD_BREAKER_WINDOW,
      cooldownMs: config.JTD_BREAKER_COOLDOWN_MS,
    };
  }

  /** Calls `send` through the provider's circuit, unless the circuit is open or the provider's Retry-After has not passed. */
  async call(channel: string, provider: string, send: () => Promise<SendOutcome>): Promise<ProviderCall> {
    const c = this.circuit(channel, provider);
    const now = this.clock.now().getTime();
    if (c.throttledUntil > now) return this.rejected(channel, provider, 'throttled', c.throttledUntil - now);
    const started = Date.now();
    let outcome: SendOutcome;
    try {
      outcome = await c.policy.execute(() => send());
    } catch (err) {
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError)
        return this.rejected(channel, provider, 'circuit_open', Math.max(0, this.terms.cooldownMs - (Date.now() - c.openedAt)));
      outcome = { kind: 'retryable', code: 'DISPATCH_ERROR', message: (err as Error)?.message ?? String(err) };
    }
    if (isThrottle(outcome) && outcome.kind === 'retryable' && outcome.retryAfterMs) {
      c.throttledUntil = Math.max(c.throttledUntil, this.clock.now().getTime() + outcome.retryAfterMs);
    }
    this.metrics.providerCalls.inc({ channel, provider, outcome: outcome.kind });
    return { called: true, outcome, latencyMs: Date.now() - started };
  }

  /** The provider's circuit as this process sees it. */
  state(channel: string, provider: string): CircuitName {
    return circuitName(this.circuit(channel, provider).policy.state);
  }

  private rejected(channel: string, provider: string, reason: 'circuit_open' | 'throttled', waitMs: number): ProviderCall {
    this.metrics.providerRejected.inc({ channel, provider, reason });
    return { called: false, reason, waitMs };
  }

  private circuit(channel: string, provider: string): Circuit {
    const key = `${channel}/${provider}`;
    let c = this.circuits.get(key);
    if (!c) {
      const policy = providerCircuit(this.terms);
      const circuit: Circuit = { policy, openedAt: 0, throttledUntil: 0 };
      this.metrics.circuitState.set({ channel, provider }, 0);
      policy.onBreak(() => {
        circuit.openedAt = Date.now();
        this.metrics.circuitOpens.inc({ channel, provider });
      });
      policy.onStateChange((s) => this.metrics.circuitState.set({ channel, provider }, s === CircuitState.Open ? 1 : s === CircuitState.HalfOpen ? 2 : 0));
      this.circuits.set(key, (c = circuit));
    }
    return c;
  }
}

function circuitName(s: CircuitState): CircuitName {
  return s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half_open' : 'open';
}
