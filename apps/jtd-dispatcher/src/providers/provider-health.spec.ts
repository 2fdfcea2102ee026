import { MetricsService } from '@app/shared/observability/metrics.service';
import { FixedClock } from '@app/shared/time/clock';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { SendOutcome } from './delivery-adapter';
import { isHardFailure, isThrottle, ProviderHealth } from './provider-health';

const T0 = new Date('2026-11-22T06:00:00Z');
const ok: SendOutcome = { kind: 'sent', providerMessageId: 'm-1', httpStatus: 200 };
const down: SendOutcome = { kind: 'retryable', code: 'HTTP_503', message: 'provider error 503', httpStatus: 503 };
const timeout: SendOutcome = { kind: 'retryable', code: 'TIMEOUT', message: 'provider did not answer in time' };
const refused: SendOutcome = { kind: 'permanent', code: 'HTTP_400', message: 'bad request', httpStatus: 400 };
const throttled = (ms: number | null): SendOutcome => ({ kind: 'retryable', code: 'RATE_LIMITED', message: 'rate limit', retryAfterMs: ms, httpStatus: 429 });

function setup(over: Partial<JtdDispatcherConfig> = {}) {
  const config = {
    METRICS_TENANT_LABELS: false,
    JTD_BREAKER_CONSECUTIVE_FAILURES: 3,
    JTD_BREAKER_FAILURE_RATIO: 0,
    JTD_BREAKER_WINDOW: 4,
    JTD_BREAKER_COOLDOWN_MS: 1000,
    ...over,
  } as JtdDispatcherConfig;
  const metrics = new MetricsService();
  const clock = new FixedClock(T0);
  const health = new ProviderHealth(config, new JtdMetrics(metrics, config), clock);
  let calls = 0;
  const call = (outcome: SendOutcome | (() => never)) =>
    health.call('sms', 'msg91', async () => {
      calls++;
      return typeof outcome === 'function' ? outcome() : outcome;
    });
  const metric = async (prefix: string) => {
    const line = (await metrics.render()).split('\n').find((l) => l.startsWith(prefix));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  return { health, clock, call, calls: () => calls, metric };
}

describe('provider circuit breakers (cockatiel) and throttling', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('counts 5xx, timeouts and network errors against a provider; not 429, not refusals of the message, not MSG91 duplicates', () => {
    expect([down, timeout, { kind: 'retryable', code: 'NETWORK', message: 'x' } as SendOutcome].every(isHardFailure)).toBe(true);
    expect([ok, refused, throttled(1000), { kind: 'retryable', code: 'MSG91_311', message: 'dup' } as SendOutcome].some(isHardFailure)).toBe(false);
    expect(isThrottle(throttled(null))).toBe(true);
    expect(isThrottle({ kind: 'retryable', code: 'QUOTA_EXCEEDED', message: 'q' })).toBe(true);
    expect(isThrottle(down)).toBe(false);
  });

  it('opens after N hard failures in a row, refuses without calling while open, and counts it', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) expect(await s.call(down)).toMatchObject({ called: true, outcome: down });
    expect(s.health.state('sms', 'msg91')).toBe('open');
    const refusedCall = await s.call(ok);
    expect(refusedCall).toEqual({ called: false, reason: 'circuit_open', waitMs: 1000 });
    expect(s.calls()).toBe(3);
    expect(await s.metric('jtd_provider_circuit_opens_total{channel="sms",provider="msg91"}')).toBe(1);
    expect(await s.metric('jtd_provider_circuit_state{channel="sms",provider="msg91"}')).toBe(1);
    expect(await s.metric('jtd_provider_rejected_total{channel="sms",provider="msg91",reason="circuit_open"}')).toBe(1);
  });

  it('a success or a refusal of the message in between resets the count', async () => {
    const s = setup();
    for (const o of [down, down, ok, down, down, refused, down, down]) await s.call(o);
    expect(s.health.state('sms', 'msg91')).toBe('closed');
  });

  it('half-opens after the cool-down: one probe goes through; success closes, failure opens again for another cool-down', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) await s.call(down);
    jest.advanceTimersByTime(600);
    expect(await s.call(ok)).toMatchObject({ called: false, reason: 'circuit_open', waitMs: 400 });
    jest.advanceTimersByTime(400);
    expect(await s.call(down)).toMatchObject({ called: true });
    expect(s.health.state('sms', 'msg91')).toBe('open');
    expect(await s.call(ok)).toMatchObject({ called: false });
    jest.advanceTimersByTime(1000);
    expect(await s.call(ok)).toMatchObject({ called: true, outcome: ok });
    expect(s.health.state('sms', 'msg91')).toBe('closed');
    expect(await s.metric('jtd_provider_circuit_state{channel="sms",provider="msg91"}')).toBe(0);
    expect(await s.metric('jtd_provider_circuit_opens_total{channel="sms",provider="msg91"}')).toBe(2);
  });

  it('opens on a failure ratio over the window when configured, even without N in a row', async () => {
    const s = setup({ JTD_BREAKER_CONSECUTIVE_FAILURES: 100, JTD_BREAKER_FAILURE_RATIO: 0.5 });
    for (const o of [down, ok, down]) await s.call(o);
    expect(s.health.state('sms', 'msg91')).toBe('closed');
    await s.call(down);
    expect(s.health.state('sms', 'msg91')).toBe('open');
  });

  it('an adapter that throws counts as a hard failure and answers DISPATCH_ERROR', async () => {
    const s = setup({ JTD_BREAKER_CONSECUTIVE_FAILURES: 1 });
    const r = await s.call(() => {
      throw new Error('boom');
    });
    expect(r).toMatchObject({ called: true, outcome: { kind: 'retryable', code: 'DISPATCH_ERROR', message: 'boom' } });
    expect(s.health.state('sms', 'msg91')).toBe('open');
  });

  it('after a 429 with Retry-After the provider is not called until then (dispatcher clock), and the circuit stays closed', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) {
      expect(await s.call(throttled(60_000))).toMatchObject({ called: true });
      s.clock.advance(60_000);
    }
    expect(s.health.state('sms', 'msg91')).toBe('closed');
    await s.call(throttled(60_000));
    s.clock.advance(59_000);
    expect(await s.call(ok)).toEqual({ called: false, reason: 'throttled', waitMs: 1000 });
    expect(await s.metric('jtd_provider_rejected_total{channel="sms",provider="msg91",reason="throttled"}')).toBe(1);
    s.clock.advance(1000);
    expect(await s.call(ok)).toMatchObject({ called: true, outcome: ok });
  });

  it('keeps one circuit per channel and provider', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) await s.call(down);
    expect(s.health.state('sms', 'msg91')).toBe('open');
    expect(s.health.state('sms', 'msg91-b')).toBe('closed');
    expect(s.health.state('email', 'msg91')).toBe('closed');
  });
});
