import { JobDetailView } from '@app/shared/api/jtd/jobs.dto';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { FixedClock } from '@app/shared/time/clock';
import { GetJobUseCase } from '../src/jobs/use-cases/get-job.use-case';
import { ListJobHistoryUseCase } from '../src/jobs/use-cases/list-job-history.use-case';
import { ProviderHealth } from '../src/providers/provider-health';
import { ReplaceChannelFallbackUseCase } from '../src/settings/use-cases/replace-channel-fallback.use-case';
import { FakeProvider } from './support/fake-provider';
import { job, JtdInstance, request, startDispatcher, tenantWithAllChannels, userCtx } from './support/jtd-harness';

const COOLDOWN_MS = 1500;

/**
 * Provider failover, circuit breakers, throttling and channel fallback against the fake MSG91 with injected
 * outages. SMS has three providers (MSG91, a second MSG91 account, a generic HTTP SMS gateway), email two,
 * WhatsApp one. The breaker opens after 4 hard failures in a row (a success or a refusal of the message resets the count) and half-opens after 1.5 s (real time:
 * cockatiel measures its cool-down with Date.now); Retry-After is measured on the dispatcher's clock.
 */
describe('JTD provider failover, circuit breakers and channel fallback', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  const clock = new FixedClock(new Date('2026-11-23T06:00:00Z'));
  let tenantId: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    const backup = { id: 'msg91-b', adapter: 'msg91', credentials: { MSG91_BASE_URL: fake.accountUrl('b') } };
    d = await startDispatcher(env, fake, clock, {
      PROVIDER_TIMEOUT_MS: '300',
      JTD_BREAKER_CONSECUTIVE_FAILURES: '4',
      JTD_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      JTD_CHANNEL_PROVIDERS: JSON.stringify({
        sms: [{ id: 'msg91' }, backup, { id: 'gateway', adapter: 'http-sms', url: `${fake.url}/http-sms/send`, token: 'http-sms-token' }],
        email: [{ id: 'msg91' }, backup],
      }),
    });
    tenantId = await tenantWithAllChannels(d.db);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const health = () => d.app.get(ProviderHealth);
  const detail = (id: string, t = tenantId): Promise<JobDetailView> => d.app.get(GetJobUseCase).execute(userCtx(t), { id });
  const history = async (id: string, t = tenantId) => (await d.app.get(ListJobHistoryUseCase).execute(userCtx(t), { id, limit: 100 })).items;
  const metric = async (line: RegExp) => {
    const text = await d.app.get(MetricsService).render();
    const found = text.split('\n').find((l) => line.test(l));
    return found ? Number(found.split(' ').at(-1)) : 0;
  };
  const sendOne = async (channel: string, t = tenantId, over = {}) => {
    const { jobs } = await d.create.execute(request(t, { channels: [channel], ...over }));
    await d.worker.tick();
    return jobs[0].id;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('fails over to the second provider when the first answers 5xx, and shows both calls in the attempt log and the history', async () => {
    fake.script('sms', { status: 503, body: { message: 'down' } });
    const before = fake.of('sms', 'b').length;
    const id = await sendOne('sms');
    const j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    expect(j.provider_message_id).toMatch(/^sms-/);
    expect(fake.of('sms', 'b').length).toBe(before + 1);
    expect(fake.of('sms', 'b').at(-1)!.problems).toEqual([]);

    const log = (await detail(id)).attemptLog;
    expect(log.map((a) => [a.channel, a.provider, a.outcome, a.providerCode, a.httpStatus])).toEqual([
      ['sms', 'msg91', 'retryable', 'HTTP_503', 503],
      ['sms', 'msg91-b', 'sent', null, 200],
    ]);
    expect(log.every((a) => typeof a.latencyMs === 'number')).toBe(true);
    const sent = (await history(id)).at(-1)!;
    expect(sent.to).toBe('sent');
    expect(sent.note).toBe('providers: msg91 retryable (HTTP_503) → msg91-b sent');
    expect(sent.details).toMatchObject({ switch: 'provider_failover', providers: [{ provider: 'msg91' }, { provider: 'msg91-b', outcome: 'sent' }] });
    expect(await metric(/^jtd_provider_failovers_total\{.*channel="sms".*from="msg91".*to="msg91-b"/)).toBeGreaterThanOrEqual(1);
  });

  it('fails over on a timeout, and on to the generic HTTP SMS gateway when both MSG91 accounts fail', async () => {
    fake.script('sms', { hang: true });
    const a = await sendOne('sms');
    expect(await job(d.db, a)).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    expect((await detail(a)).attemptLog[0]).toMatchObject({ provider: 'msg91', outcome: 'retryable', providerCode: 'TIMEOUT' });

    fake.script('sms', { status: 500, body: {} });
    fake.scriptFor('b', 'sms', { status: 502, body: {} });
    const b = await sendOne('sms');
    const jb = await job(d.db, b);
    expect(jb).toMatchObject({ status_code: 'sent', provider_code: 'gateway' });
    expect(jb.provider_message_id).toMatch(/^hs-/);
    const req = fake.of('http-sms').at(-1)!;
    expect(req.problems).toEqual([]);
    expect(req.body).toMatchObject({ to: '+919812345678', reference: b });
    expect(req.body.text).toContain('AC service');
    expect((await detail(b)).attemptLog.map((x) => `${x.provider}:${x.outcome}`)).toEqual(['msg91:retryable', 'msg91-b:retryable', 'gateway:sent']);
  });

  it('does not fail over a permanent refusal of the message: another provider would refuse it too', async () => {
    fake.script('sms', { status: 200, body: { type: 'error', message: 'Invalid mobile', code: '202' } });
    const before = fake.of('sms', 'b').length;
    const id = await sendOne('sms');
    expect(await job(d.db, id)).toMatchObject({ status_code: 'failed', error_code: 'MSG91_202', next_attempt_at: null });
    expect(fake.of('sms', 'b').length).toBe(before);
    expect((await detail(id)).attemptLog).toHaveLength(1);
  });

  it('honours a 429 Retry-After: the provider is skipped (not called) until then, without counting against its circuit', async () => {
    fake.script('sms', { status: 429, body: {}, headers: { 'retry-after': '60' } });
    const first = await sendOne('sms');
    expect(await job(d.db, first)).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });

    const primaryCalls = fake.of('sms').length;
    const second = await sendOne('sms');
    expect(await job(d.db, second)).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    expect(fake.of('sms').length).toBe(primaryCalls);
    const log = (await detail(second)).attemptLog;
    expect(log[0]).toMatchObject({ provider: 'msg91', outcome: 'skipped', providerCode: 'THROTTLED' });
    expect(log[0].retryAfterMs).toBeGreaterThan(59_000);
    expect((await history(second)).at(-1)!.note).toBe('providers: msg91 skipped (throttled) → msg91-b sent');
    expect(health().state('sms', 'msg91')).toBe('closed');
    expect(await metric(/^jtd_provider_rejected_total\{.*channel="sms".*provider="msg91".*reason="throttled"/)).toBeGreaterThanOrEqual(1);

    clock.advance(61_000);
    const third = await sendOne('sms');
    expect(await job(d.db, third)).toMatchObject({ status_code: 'sent', provider_code: 'msg91' });
    expect(fake.of('sms').length).toBe(primaryCalls + 1);
  });

  it('opens the circuit after 4 hard failures in a row, skips the provider while open, half-opens after the cool-down and closes once it answers again', async () => {
    const opensBefore = await metric(/^jtd_provider_circuit_opens_total\{.*channel="sms".*provider="msg91"/);
    fake.outage('sms', { status: 500, body: { message: 'outage' } });
    for (let i = 0; i < 4; i++) {
      expect(health().state('sms', 'msg91')).toBe('closed');
      expect(await job(d.db, await sendOne('sms'))).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    }
    expect(health().state('sms', 'msg91')).toBe('open');
    expect(await metric(/^jtd_provider_circuit_opens_total\{.*channel="sms".*provider="msg91"/)).toBe(opensBefore + 1);
    expect(await metric(/^jtd_provider_circuit_state\{.*channel="sms".*provider="msg91"/)).toBe(1);

    const primaryCalls = fake.of('sms').length;
    const skipped = await sendOne('sms');
    expect(await job(d.db, skipped)).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    expect(fake.of('sms').length).toBe(primaryCalls);
    expect((await detail(skipped)).attemptLog[0]).toMatchObject({ provider: 'msg91', outcome: 'skipped', providerCode: 'CIRCUIT_OPEN' });
    expect((await history(skipped)).at(-1)!.note).toBe('providers: msg91 skipped (circuit open) → msg91-b sent');
    expect(await metric(/^jtd_provider_rejected_total\{.*channel="sms".*provider="msg91".*reason="circuit_open"/)).toBeGreaterThanOrEqual(1);

    // Still down when the cool-down ends: the half-open probe fails and the circuit opens again.
    await sleep(COOLDOWN_MS + 50);
    const probe = await sendOne('sms');
    expect(fake.of('sms').length).toBe(primaryCalls + 1);
    expect(await job(d.db, probe)).toMatchObject({ status_code: 'sent', provider_code: 'msg91-b' });
    expect(health().state('sms', 'msg91')).toBe('open');

    // Recovered: the next probe succeeds and closes the circuit.
    fake.recover('sms');
    await sleep(COOLDOWN_MS + 50);
    const recovered = await sendOne('sms');
    expect(await job(d.db, recovered)).toMatchObject({ status_code: 'sent', provider_code: 'msg91' });
    expect(health().state('sms', 'msg91')).toBe('closed');
    expect(await metric(/^jtd_provider_circuit_state\{.*channel="sms".*provider="msg91"/)).toBe(0);
    expect(await metric(/^jtd_provider_circuit_opens_total\{.*channel="sms".*provider="msg91"/)).toBe(opensBefore + 2);
  });

  it('falls back whatsapp → sms → email per the tenant’s setting, with the recipient’s address and template of each channel', async () => {
    const t = await tenantWithAllChannels(d.db);
    await d.app.get(ReplaceChannelFallbackUseCase).execute(userCtx(t), {
      routes: [
        { from: 'whatsapp', to: 'sms' },
        { from: 'sms', to: 'email' },
      ],
    });
    const fallbacksBefore = await metric(/^jtd_channel_fallbacks_total\{.*from="whatsapp".*to="sms"/);
    fake.script('whatsapp', { status: 400, body: { status: 'fail', message: 'template not approved' } });
    fake.script('sms', { status: 200, body: { type: 'error', message: 'Invalid mobile', code: '202' } });
    const id = await sendOne('whatsapp', t);
    let j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'pending', channel_code: 'sms', recipient_contact: '+919812345678', attempts: 0 });
    expect(j.channels_tried).toEqual(['whatsapp']);
    await d.worker.tick();
    j = await job(d.db, id);
    expect(j).toMatchObject({
      status_code: 'pending',
      channel_code: 'email',
      recipient_contact: 'ravi@example.com',
      template_key: 'service_reminder_email_v1',
    });
    await d.worker.tick();
    j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'sent', channel_code: 'email', provider_code: 'msg91' });
    expect(j.channels_tried).toEqual(['whatsapp', 'sms']);
    expect(fake.of('email').at(-1)!.body.recipients[0].to[0].email).toBe('ravi@example.com');

    const log = (await detail(id, t)).attemptLog;
    expect(log.map((a) => `${a.channel}/${a.provider}:${a.outcome}`)).toEqual(['whatsapp/msg91:permanent', 'sms/msg91:permanent', 'email/msg91:sent']);
    const h = await history(id, t);
    expect(h.map((x) => x.to)).toEqual([
      'created',
      'pending',
      'queued',
      'executing',
      'failed',
      'pending',
      'queued',
      'executing',
      'failed',
      'pending',
      'queued',
      'executing',
      'sent',
    ]);
    const switches = h.filter((x) => x.details.switch === 'channel_fallback');
    expect(switches.map((x) => [x.details.from, x.details.to])).toEqual([
      ['whatsapp', 'sms'],
      ['sms', 'email'],
    ]);
    expect(switches[0].note).toMatch(/^channel fallback whatsapp → sms: /);
    expect(switches[1].note).toContain('Invalid mobile');
    expect(await metric(/^jtd_channel_fallbacks_total\{.*from="whatsapp".*to="sms"/)).toBe(fallbacksBefore + 1);
  });

  it('passes over a fallback channel the same request already has its own job on: no second message there', async () => {
    const t = await tenantWithAllChannels(d.db);
    await d.app.get(ReplaceChannelFallbackUseCase).execute(userCtx(t), {
      routes: [
        { from: 'whatsapp', to: 'sms' },
        { from: 'sms', to: 'email' },
      ],
    });
    fake.script('whatsapp', { status: 400, body: { status: 'fail', message: 'template not approved' } });
    const { jobs } = await d.create.execute(request(t, { channels: ['whatsapp', 'sms'] }));
    await d.worker.tick();
    const wa = jobs.find((x) => x.channelCode === 'whatsapp')!;
    const sms = jobs.find((x) => x.channelCode === 'sms')!;
    expect(await job(d.db, sms.id)).toMatchObject({ status_code: 'sent' });
    expect(await job(d.db, wa.id)).toMatchObject({ status_code: 'pending', channel_code: 'email' });
    expect((await history(wa.id, t)).at(-1)!.details.fallbackSkipped).toEqual([
      { channel: 'sms', reason: expect.stringMatching(new RegExp(`^the request already has a sms job \\(${sms.id}, `)) },
    ]);
  });

  it('falls back once every provider of the channel has failed or been open past the retry budget', async () => {
    const t = await tenantWithAllChannels(d.db);
    await d.app.get(ReplaceChannelFallbackUseCase).execute(userCtx(t), { routes: [{ from: 'whatsapp', to: 'email' }] });
    fake.outage('whatsapp', { status: 503, body: {} });
    try {
      const id = await sendOne('whatsapp', t);
      // reminder: max_retries 3 → attempts 1..4 on WhatsApp; the 4th failure in a row also opens its circuit.
      for (let i = 0; i < 3; i++) {
        expect(await job(d.db, id)).toMatchObject({ status_code: 'failed', channel_code: 'whatsapp' });
        clock.advance(8 * 3600_000);
        await d.worker.tick();
      }
      let j = await job(d.db, id);
      expect(j).toMatchObject({ status_code: 'pending', channel_code: 'email', error_code: 'HTTP_503' });
      const log = (await detail(id, t)).attemptLog;
      expect(log.map((a) => `${a.attemptNo}:${a.outcome}:${a.providerCode}`)).toEqual([
        '1:retryable:HTTP_503',
        '2:retryable:HTTP_503',
        '3:retryable:HTTP_503',
        '4:retryable:HTTP_503',
      ]);
      expect(health().state('whatsapp', 'msg91')).toBe('open');
      expect((await history(id, t)).at(-1)!.note).toMatch(/^channel fallback whatsapp → email: provider error 503$/);

      // A second WhatsApp job meanwhile finds the circuit open: skipped, no call; its retries wait for the cool-down.
      const calls = fake.of('whatsapp').length;
      const other = await sendOne('whatsapp', t);
      expect(fake.of('whatsapp').length).toBe(calls);
      expect(await job(d.db, other)).toMatchObject({ status_code: 'failed', error_code: 'PROVIDERS_UNAVAILABLE' });
      expect((await detail(other, t)).attemptLog.map((a) => `${a.outcome}:${a.providerCode}`)).toEqual(['skipped:CIRCUIT_OPEN']);

      await d.worker.tick();
      j = await job(d.db, id);
      expect(j).toMatchObject({ status_code: 'sent', channel_code: 'email' });
    } finally {
      fake.recover('whatsapp');
    }
  });

  it('passes over a fallback channel the recipient has no address for, says so, and fails clearly when none is left', async () => {
    const t = await tenantWithAllChannels(d.db);
    await d.app.get(ReplaceChannelFallbackUseCase).execute(userCtx(t), {
      routes: [
        { from: 'email', to: 'sms' },
        { from: 'sms', to: 'whatsapp' },
      ],
    });
    fake.script('email', { status: 422, body: { message: 'mailbox does not exist' } });
    const id = await sendOne('email', t, { recipient: { type: 'customer', name: 'No Phone', email: 'nophone@example.com' } });
    const j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'failed', channel_code: 'email', error_code: 'HTTP_422', next_attempt_at: null });
    const last = (await history(id, t)).at(-1)!;
    expect(last.note).toBe('mailbox does not exist; no fallback channel usable (sms: recipient has no phone number; whatsapp: recipient has no phone number)');
    expect(last.details.fallbackSkipped).toEqual([
      { channel: 'sms', reason: 'recipient has no phone number' },
      { channel: 'whatsapp', reason: 'recipient has no phone number' },
    ]);

    await d.app.get(ReplaceChannelFallbackUseCase).execute(userCtx(t), {
      routes: [
        { from: 'email', to: 'sms' },
        { from: 'sms', to: 'whatsapp' },
        { from: 'whatsapp', to: 'inapp' },
      ],
    });
    fake.script('email', { status: 422, body: { message: 'mailbox does not exist' } });
    const userId = '5d1f3c3e-1111-4222-8333-444455556666';
    const other = await sendOne('email', t, { recipient: { type: 'user', id: userId, name: 'U', email: 'u@example.com' } });
    expect(await job(d.db, other)).toMatchObject({ status_code: 'pending', channel_code: 'inapp', recipient_contact: userId });
    const moved = (await history(other, t)).at(-1)!;
    expect(moved.note).toBe(
      'channel fallback email → inapp (passed over sms: recipient has no phone number; whatsapp: recipient has no phone number): mailbox does not exist',
    );
    await d.worker.tick();
    expect(await job(d.db, other)).toMatchObject({ status_code: 'sent', channel_code: 'inapp' });
    expect(await d.db.query(`SELECT 1 FROM inapp_notifications WHERE source_jtd_id = $1 AND user_id = $2`, [other, userId])).toHaveLength(1);
  });

  it('waits for the soonest Retry-After when every provider of the channel throttles', async () => {
    clock.advance(24 * 3600_000);
    fake.script('email', { status: 429, body: {}, headers: { 'retry-after': '3600' } });
    fake.scriptFor('b', 'email', { status: 429, body: {}, headers: { 'retry-after': '7200' } });
    const id = await sendOne('email');
    const j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'failed', error_code: 'RATE_LIMITED' });
    const wait = new Date(j.next_attempt_at).getTime() - clock.now().getTime();
    expect(wait).toBe(3600_000);
    expect(health().state('email', 'msg91')).toBe('closed');
    // Before the Retry-After both are skipped without a call.
    const calls = fake.requests.length;
    const second = await sendOne('email');
    expect(await job(d.db, second)).toMatchObject({ status_code: 'failed', error_code: 'PROVIDERS_UNAVAILABLE' });
    expect(fake.requests.length).toBe(calls);
    clock.advance(3600_000);
    await d.worker.tick();
    expect(await job(d.db, id)).toMatchObject({ status_code: 'sent', provider_code: 'msg91' });
  });
});
