import { MetricsService } from '@app/shared/observability/metrics.service';
import { FixedClock } from '@app/shared/time/clock';
import { template } from '../../test/support/unit-factories';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { DeliveryAdapter, ProviderCredentials, SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { ProviderHealth } from '../providers/provider-health';
import { ChannelProvider, ProviderRegistry } from '../providers/provider-registry';
import { describeFailover, ProviderFailover } from './provider-failover';

const config = {
  METRICS_TENANT_LABELS: false,
  JTD_BREAKER_CONSECUTIVE_FAILURES: 2,
  JTD_BREAKER_FAILURE_RATIO: 0,
  JTD_BREAKER_WINDOW: 10,
  JTD_BREAKER_COOLDOWN_MS: 60_000,
} as JtdDispatcherConfig;

const down: SendOutcome = { kind: 'retryable', code: 'HTTP_503', message: 'provider error 503', httpStatus: 503 };
const sent = (id: string): SendOutcome => ({ kind: 'sent', providerMessageId: id, httpStatus: 200 });

/** Providers of the SMS channel answering from their scripts (then success), recording the credentials they were called with. */
function setup(scripts: Record<string, SendOutcome[]>, overrides: Record<string, Partial<ProviderCredentials>> = {}) {
  const seen: Array<{ provider: string; baseUrl: string }> = [];
  const chain: ChannelProvider[] = Object.keys(scripts).map((id) => {
    const adapter = {
      channel: 'sms',
      provider: 'msg91',
      send: async (req: SendRequest) => {
        seen.push({ provider: id, baseUrl: req.credentials.MSG91_BASE_URL });
        return scripts[id].shift() ?? sent(`${id}-ok`);
      },
    } as unknown as DeliveryAdapter;
    return { id, channel: 'sms', adapter, entry: { id, adapter: 'msg91', credentials: overrides[id] ?? {} } };
  });
  const registry = {
    providers: () => chain,
    credentialsFor: (base: ProviderCredentials, p: ChannelProvider) => ({ ...base, ...p.entry.credentials }),
  } as unknown as ProviderRegistry;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  const metrics = new JtdMetrics(new MetricsService(), config);
  const health = new ProviderHealth(config, metrics, clock);
  return { failover: new ProviderFailover(registry, health, metrics), seen, clock };
}

const request = { credentials: { MSG91_BASE_URL: 'https://control.msg91.com' }, template: template() } as unknown as SendRequest;

describe('sending through a channel’s providers in order', () => {
  it('one provider: its outcome as it is (today’s behaviour), one attempt', async () => {
    const s = setup({ msg91: [down] });
    const r = await s.failover.send('sms', request);
    expect(r.outcome).toEqual(down);
    expect(r.provider).toBe('msg91');
    expect(r.attempts).toEqual([expect.objectContaining({ provider: 'msg91', channel: 'sms', outcome: 'retryable', code: 'HTTP_503', httpStatus: 503 })]);
  });

  it('goes on to the next provider after a retryable failure, with that provider’s own credentials', async () => {
    const s = setup({ msg91: [down], backup: [] }, { backup: { MSG91_BASE_URL: 'https://backup.example' } });
    const r = await s.failover.send('sms', request);
    expect(r.outcome).toMatchObject({ kind: 'sent', providerMessageId: 'backup-ok' });
    expect(r.provider).toBe('backup');
    expect(s.seen).toEqual([
      { provider: 'msg91', baseUrl: 'https://control.msg91.com' },
      { provider: 'backup', baseUrl: 'https://backup.example' },
    ]);
    expect(r.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['msg91:retryable', 'backup:sent']);
  });

  it('stops at a permanent refusal: no other provider is asked', async () => {
    const s = setup({ msg91: [{ kind: 'permanent', code: 'MSG91_202', message: 'Invalid mobile' }], backup: [] });
    const r = await s.failover.send('sms', request);
    expect(r.outcome).toMatchObject({ kind: 'permanent', code: 'MSG91_202' });
    expect(s.seen.map((x) => x.provider)).toEqual(['msg91']);
  });

  it('when every provider fails: retryable, the last one’s code, every one named, not before the soonest wait', async () => {
    const s = setup({
      msg91: [{ kind: 'retryable', code: 'RATE_LIMITED', message: 'rate limit', retryAfterMs: 30_000, httpStatus: 429 }],
      backup: [{ kind: 'retryable', code: 'RATE_LIMITED', message: 'rate limit', retryAfterMs: 10_000, httpStatus: 429 }],
    });
    const r = await s.failover.send('sms', request);
    expect(r.outcome).toEqual({
      kind: 'retryable',
      code: 'RATE_LIMITED',
      message: 'every sms provider failed (msg91: RATE_LIMITED; backup: RATE_LIMITED)',
      retryAfterMs: 10_000,
      httpStatus: 429,
    });
    // A plain failure can be tried again at once: the retry policy's backoff alone decides.
    const t = setup({ msg91: [{ kind: 'retryable', code: 'RATE_LIMITED', message: 'r', retryAfterMs: 30_000 }], backup: [down] });
    expect((await t.failover.send('sms', request)).outcome).toMatchObject({ code: 'HTTP_503', retryAfterMs: null });
  });

  it('skips a provider whose circuit is open, and answers PROVIDERS_UNAVAILABLE when none could be called', async () => {
    const s = setup({ msg91: [down, down], backup: [down, down] });
    await s.failover.send('sms', request);
    await s.failover.send('sms', request);
    const r = await s.failover.send('sms', request);
    expect(s.seen).toHaveLength(4);
    expect(r.outcome).toMatchObject({ kind: 'retryable', code: 'PROVIDERS_UNAVAILABLE' });
    // The rest of the cool-down (measured in real time by cockatiel): a minute less the test's few milliseconds.
    expect((r.outcome as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(59_000);
    expect((r.outcome as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(r.attempts.map((a) => `${a.provider}:${a.outcome}:${a.code}`)).toEqual(['msg91:skipped:CIRCUIT_OPEN', 'backup:skipped:CIRCUIT_OPEN']);
  });

  it('tells the history what happened when more than one provider was involved', () => {
    const base = { channel: 'sms', httpStatus: null, providerMessageId: null, error: null, retryAfterMs: null, latencyMs: 5 };
    expect(describeFailover([{ ...base, provider: 'msg91', outcome: 'sent', code: null }])).toBeNull();
    expect(
      describeFailover([
        { ...base, provider: 'msg91', outcome: 'skipped', code: 'CIRCUIT_OPEN' },
        { ...base, provider: 'b', outcome: 'retryable', code: 'TIMEOUT' },
        { ...base, provider: 'c', outcome: 'sent', code: null },
      ]),
    ).toEqual({
      note: 'providers: msg91 skipped (circuit open) → b retryable (TIMEOUT) → c sent',
      details: {
        switch: 'provider_failover',
        providers: [
          { provider: 'msg91', outcome: 'skipped', code: 'CIRCUIT_OPEN', latencyMs: 5 },
          { provider: 'b', outcome: 'retryable', code: 'TIMEOUT', latencyMs: 5 },
          { provider: 'c', outcome: 'sent', code: null, latencyMs: 5 },
        ],
      },
    });
    expect(describeFailover([{ ...base, provider: 'msg91', outcome: 'skipped', code: 'THROTTLED' }])?.details.switch).toBe('provider_skipped');
  });
});
