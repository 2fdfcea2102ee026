import { Injectable } from '@nestjs/common';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { ProviderHealth } from '../providers/provider-health';
import { ChannelProvider, ProviderRegistry } from '../providers/provider-registry';

/** One provider's part in a send: called (its outcome), or skipped (circuit open, or its Retry-After not over). */
export interface ProviderAttempt {
  provider: string;
  channel: string;
  outcome: 'sent' | 'retryable' | 'permanent' | 'skipped';
  code: string | null;
  httpStatus: number | null;
  providerMessageId: string | null;
  error: string | null;
  retryAfterMs: number | null;
  latencyMs: number | null;
}

/** What a send through a channel's providers came to: the outcome for the job, who gave it, every provider's part. */
export interface FailoverResult {
  outcome: SendOutcome;
  /** The provider that answered last (the one that sent, refused, or failed last). */
  provider: string;
  attempts: ProviderAttempt[];
}

/**
 * Tries the channel's providers in order, each through its circuit (ProviderHealth):
 * - sent → done;
 * - a permanent refusal (4xx, MSG91 error codes, a dead push token) → done: it is about the message or the
 *   recipient, another provider would refuse it too (and could send it twice);
 * - retryable (5xx, timeout, network, 429) or skipped (circuit open, Retry-After pending) → the next provider.
 * When none sent, the job's outcome is retryable, not before the soonest moment one of them can be tried
 * again (the shortest wait: a Retry-After, the rest of an open circuit's cool-down; none after a plain
 * failure, then the retry policy's backoff alone decides).
 */
export function combineAttempts(channel: string, attempts: ProviderAttempt[], outcomes: Map<string, SendOutcome>, waits: number[]): FailoverResult {
  const last = [...attempts].reverse().find((a) => a.outcome !== 'skipped');
  if (last && attempts.length === 1) return { outcome: outcomes.get(last.provider)!, provider: last.provider, attempts };
  const soonest = waits.length === attempts.length && waits.length > 0 ? Math.min(...waits) : 0;
  const summary = attempts.map((a) => `${a.provider}: ${a.outcome === 'skipped' ? a.code : (a.code ?? a.outcome)}`).join('; ');
  if (!last) {
    return {
      outcome: { kind: 'retryable', code: 'PROVIDERS_UNAVAILABLE', message: `no ${channel} provider available (${summary})`, retryAfterMs: soonest || null },
      provider: attempts[0]?.provider ?? 'none',
      attempts,
    };
  }
  const o = outcomes.get(last.provider)!;
  if (o.kind !== 'retryable') return { outcome: o, provider: last.provider, attempts };
  return { outcome: { ...o, message: `every ${channel} provider failed (${summary})`, retryAfterMs: soonest || null }, provider: last.provider, attempts };
}

/** The history's account of a send that involved more than one provider (failover, skipped circuits), or null. */
export function describeFailover(attempts: readonly ProviderAttempt[]): { note: string; details: Record<string, unknown> } | null {
  if (attempts.length < 2 && !attempts.some((a) => a.outcome === 'skipped')) return null;
  const steps = attempts.map((a) =>
    a.outcome === 'skipped'
      ? `${a.provider} skipped (${a.code === 'CIRCUIT_OPEN' ? 'circuit open' : 'throttled'})`
      : `${a.provider} ${a.outcome}${a.code ? ` (${a.code})` : ''}`,
  );
  return {
    note: `providers: ${steps.join(' → ')}`,
    details: {
      switch: attempts.length > 1 ? 'provider_failover' : 'provider_skipped',
      providers: attempts.map((a) => ({ provider: a.provider, outcome: a.outcome, code: a.code, latencyMs: a.latencyMs })),
    },
  };
}

/** A live send on an external channel, through its providers in order (see `combineAttempts`). */
@Injectable()
export class ProviderFailover {
  constructor(
    private readonly providers: ProviderRegistry,
    private readonly health: ProviderHealth,
    private readonly metrics: JtdMetrics,
  ) {}

  async send(channel: string, request: SendRequest): Promise<FailoverResult> {
    const chain = this.providers.providers(channel);
    const attempts: ProviderAttempt[] = [];
    const outcomes = new Map<string, SendOutcome>();
    const waits: number[] = [];
    for (const provider of chain) {
      const call = await this.health.call(channel, provider.id, () => provider.adapter.send(this.requestFor(request, provider)));
      if (!call.called) {
        const code = call.reason === 'circuit_open' ? 'CIRCUIT_OPEN' : 'THROTTLED';
        const error = call.reason === 'circuit_open' ? 'circuit open: provider not called' : 'provider asked to wait (Retry-After): not called';
        attempts.push({ ...skeleton(provider), outcome: 'skipped', code, error, retryAfterMs: call.waitMs });
        waits.push(call.waitMs);
        continue;
      }
      const o = call.outcome;
      outcomes.set(provider.id, o);
      attempts.push({
        ...skeleton(provider),
        outcome: o.kind,
        code: o.kind === 'sent' ? null : o.code,
        httpStatus: o.httpStatus ?? null,
        providerMessageId: o.kind === 'sent' ? o.providerMessageId : null,
        error: o.kind === 'sent' ? null : o.message,
        retryAfterMs: o.kind === 'retryable' ? (o.retryAfterMs ?? null) : null,
        latencyMs: call.latencyMs,
      });
      if (o.kind !== 'retryable') break;
      waits.push(o.retryAfterMs ?? 0);
    }
    for (let i = 1; i < attempts.length; i++) this.metrics.providerFailovers.inc({ channel, from: attempts[i - 1].provider, to: attempts[i].provider });
    return combineAttempts(channel, attempts, outcomes, waits);
  }

  private requestFor(request: SendRequest, provider: ChannelProvider): SendRequest {
    return { ...request, credentials: this.providers.credentialsFor(request.credentials, provider) };
  }
}

function skeleton(p: ChannelProvider): ProviderAttempt {
  return {
    provider: p.id,
    channel: p.channel,
    outcome: 'skipped',
    code: null,
    httpStatus: null,
    providerMessageId: null,
    error: null,
    retryAfterMs: null,
    latencyMs: null,
  };
}
