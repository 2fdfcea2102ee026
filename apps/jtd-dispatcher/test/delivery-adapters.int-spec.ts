import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { FixedClock } from '@app/shared/time/clock';
import { ReceiveMsg91ReportUseCase } from '../src/webhooks/use-cases/receive-msg91-report.use-case';
import { fcmError, FakeProvider } from './support/fake-provider';
import { historyOf, job, JtdInstance, request, startDispatcher, tenantWithAllChannels, webhookSecretOf } from './support/jtd-harness';

describe('JTD delivery through each adapter against a fake MSG91/FCM', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  const clock = new FixedClock(new Date('2026-11-22T06:00:00Z'));
  let tenantId: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    d = await startDispatcher(env, fake, clock);
    tenantId = await tenantWithAllChannels(d.db);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  const sendOne = async (channel: string, over = {}) => {
    const { jobs } = await d.create.execute(request(tenantId, { channels: [channel], ...over }));
    expect(jobs).toHaveLength(1);
    await d.worker.tick();
    return job(d.db, jobs[0].id);
  };

  it('sends an email with the MSG91 template shape and records the provider id before marking it sent', async () => {
    const j = await sendOne('email');
    expect(j.status_code).toBe('sent');
    expect(j.provider_message_id).toMatch(/^email-/);
    const req = fake.of('email').at(-1)!;
    expect(req.problems).toEqual([]);
    expect(req.body.recipients[0].to[0]).toEqual({ email: 'ravi@example.com', name: 'Ravi Kumar' });
    expect(req.body.recipients[0].variables.customer_name).toBe('Ravi');
    expect(req.body.template_id).toBe('service_reminder_email_v1');
    expect(Number(j.cost)).toBeCloseTo(0.25);
    const h = await historyOf(d.db, j.id);
    expect(h.map((x) => x.to_status)).toEqual(['created', 'pending', 'queued', 'executing', 'sent']);
    expect(h.every((x) => x.is_valid_transition)).toBe(true);
  });

  it('sends an SMS through a flow with digits-only mobiles and template variables', async () => {
    const j = await sendOne('sms');
    expect(j.status_code).toBe('sent');
    const req = fake.of('sms').at(-1)!;
    expect(req.problems).toEqual([]);
    expect(req.body.recipients[0]).toMatchObject({ mobiles: '919812345678', service_type: 'AC service', service_date: '2026-12-01' });
  });

  it('sends WhatsApp as the provider template name with positional body_N parameters', async () => {
    const j = await sendOne('whatsapp');
    expect(j.status_code).toBe('sent');
    const t = fake.of('whatsapp').at(-1)!.body.payload.template;
    expect(t.name).toBe('service_reminder');
    expect(t.to_and_components[0].components).toEqual({
      body_1: { type: 'text', value: 'Ravi' },
      body_2: { type: 'text', value: 'AC service' },
      body_3: { type: 'text', value: '2026-12-01' },
    });
  });

  it('sends a push through FCM HTTP v1 with an RS256 service-account token that is cached between sends', async () => {
    const before = fake.tokenIssued;
    const a = await sendOne('push');
    const b = await sendOne('push');
    expect([a.status_code, b.status_code]).toEqual(['sent', 'sent']);
    expect(a.provider_message_id).toMatch(/^projects\/cn-test\/messages\//);
    expect(fake.of('token').every((r) => r.problems.length === 0)).toBe(true);
    expect(fake.tokenIssued - before).toBeLessThanOrEqual(1);
  });

  it('refreshes the FCM access token once when FCM answers 401 without an FCM error', async () => {
    fake.script('fcm', { status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED', message: 'expired' } } });
    const before = fake.tokenIssued;
    const j = await sendOne('push');
    expect(j.status_code).toBe('sent');
    expect(fake.tokenIssued).toBe(before + 1);
  });

  it('marks the device token dead on UNREGISTERED and fails the job permanently', async () => {
    const token = 'dead-token-0123456789abcdefghij';
    fake.script('fcm', { status: 404, body: fcmError(404, 'UNREGISTERED') });
    const j = await sendOne('push', { recipient: { type: 'user', name: 'U', deviceTokens: [token] } });
    expect(j.status_code).toBe('failed');
    expect(j.error_code).toBe('UNREGISTERED');
    expect(j.next_attempt_at).toBeNull();
    const dead = await d.db.query(`SELECT * FROM dead_device_tokens WHERE token = $1`, [token]);
    expect(dead).toHaveLength(1);
    // The next job to that token fails on validation without calling FCM.
    const calls = fake.of('fcm').length;
    const again = await sendOne('push', { recipient: { type: 'user', name: 'U', deviceTokens: [token] } });
    expect(again.error_code).toBe('INVALID_RECIPIENT');
    expect(fake.of('fcm').length).toBe(calls);
  });

  it('fails at once on a permanent 4xx and on MSG91 type=error with HTTP 200', async () => {
    fake.script('sms', { status: 200, body: { type: 'error', message: 'Invalid mobile', code: '202' } });
    const a = await sendOne('sms');
    expect(a).toMatchObject({ status_code: 'failed', error_code: 'MSG91_202', next_attempt_at: null });
    fake.script('email', { status: 400, body: { message: 'template not found' } });
    const b = await sendOne('email');
    expect(b).toMatchObject({ status_code: 'failed', error_code: 'HTTP_400', next_attempt_at: null });
  });

  it('retries a 429 after the provider Retry-After and a 5xx with exponential backoff, then sends', async () => {
    fake.script('email', { status: 429, body: {}, headers: { 'retry-after': '7200' } }, { status: 503, body: {} });
    const { jobs } = await d.create.execute(request(tenantId));
    const id = jobs[0].id;
    await d.worker.tick();
    let j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'failed', error_code: 'RATE_LIMITED', attempts: 1 });
    // Retry-After 2 h beats the first backoff step (300 s ± 20 %).
    expect(new Date(j.next_attempt_at).getTime() - clock.now().getTime()).toBe(7200 * 1000);
    clock.advance(7199 * 1000);
    expect(await d.worker.tick()).toBe(0);
    clock.advance(1000);
    await d.worker.tick();
    j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'failed', error_code: 'HTTP_503', attempts: 2 });
    const delay = new Date(j.next_attempt_at).getTime() - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(600 * 1000 * 0.8);
    expect(delay).toBeLessThanOrEqual(600 * 1000 * 1.2);
    clock.advance(delay);
    await d.worker.tick();
    j = await job(d.db, id);
    expect(j).toMatchObject({ status_code: 'sent', attempts: 3 });
    const h = await historyOf(d.db, id);
    expect(h.filter((x) => x.from_status === 'failed' && x.to_status === 'pending')).toHaveLength(2);
  });

  it('gives up after the event type max_retries (3) and keeps the job failed for a person', async () => {
    fake.script('sms', ...Array.from({ length: 4 }, () => ({ status: 500, body: {} })));
    const { jobs } = await d.create.execute(request(tenantId, { channels: ['sms'] }));
    for (let i = 0; i < 4; i++) {
      await d.worker.tick();
      clock.advance(24 * 3600 * 1000);
    }
    const j = await job(d.db, jobs[0].id);
    expect(j).toMatchObject({ status_code: 'failed', attempts: 4, next_attempt_at: null });
  });

  it('treats a provider that does not answer in time as retryable', async () => {
    fake.script('whatsapp', { hang: true });
    const j = await sendOne('whatsapp');
    expect(j).toMatchObject({ status_code: 'failed', error_code: 'TIMEOUT', attempts: 1 });
    expect(j.next_attempt_at).not.toBeNull();
  });

  it('fails a job with an invalid recipient or a missing template variable, naming the reason, without calling the provider', async () => {
    const calls = fake.requests.length;
    const a = await sendOne('sms', { recipient: { type: 'customer', name: 'X', phone: '98123' } });
    expect(a.status_code).toBe('failed');
    expect(a.last_error).toMatch(/E\.164/);
    const b = await sendOne('email', { variables: { customer_name: 'Ravi', service_type: 'AC', tenant_name: 'T' } });
    expect(b.status_code).toBe('failed');
    expect(b.last_error).toBe('template variable service_date is missing');
    expect(fake.requests.length).toBe(calls);
  });

  it('stores in-app notifications for the recipient user', async () => {
    const userId = '6c1f2d4e-0000-4000-8000-000000000001';
    const j = await sendOne('inapp', {
      sourceType: 'system',
      variables: { title: 'Hello', body: 'World' },
      recipient: { type: 'user', id: userId, name: 'U' },
    });
    expect(j.status_code).toBe('sent');
    const rows = await d.db.query(`SELECT * FROM inapp_notifications WHERE user_id = $1`, [userId]);
    expect(rows).toMatchObject([{ title: 'Hello', body: 'World', source_jtd_id: j.id }]);
  });

  it('creates one job for the same source, source id, channel and template however often it is asked', async () => {
    const r = request(tenantId);
    const a = await d.create.execute(r);
    const b = await d.create.execute(r);
    expect(b.jobs[0].id).toBe(a.jobs[0].id);
    expect((await d.db.query(`SELECT count(*)::int AS n FROM jobs WHERE source_id = $1`, [r.sourceId]))[0].n).toBe(1);
  });

  it('in test mode calls no provider and keeps what would have been sent', async () => {
    const phone = '+919800000077';
    const j = await sendOne('sms', { isLive: false, recipient: { type: 'customer', name: 'Test', phone } });
    expect(j.status_code).toBe('sent');
    expect(fake.requests.filter((r) => r.rawBody.includes('919800000077'))).toEqual([]);
    const [box] = await d.db.query(`SELECT * FROM sandbox_messages WHERE jtd_id = $1`, [j.id]);
    expect(box.request.body.recipients[0].mobiles).toBe('919800000077');
    expect(box.request.headers.authkey).toBe('***');
  });

  it('applies an SMS delivery report posted form-encoded (the raw form string the gateway passes through)', async () => {
    const j = await sendOne('sms');
    expect(j.status_code).toBe('sent');
    const secret = webhookSecretOf(tenantId);
    const webhook = d.app.get(ReceiveMsg91ReportUseCase);
    const ctx = { tenantId, actor: SYSTEM_ACTORS.webhook, roles: [], correlationId: 'form-dlr' };
    const form = new URLSearchParams({ data: JSON.stringify([{ requestId: j.provider_message_id, status: '1' }]) }).toString();
    expect(await webhook.execute(ctx, { channel: 'sms', tenant: tenantId, token: secret, payload: form })).toEqual({
      received: 1,
      applied: 1,
      unknown: 0,
      ignored: 0,
    });
    expect((await job(d.db, j.id)).status_code).toBe('delivered');
    // The same report again is a replay: no second move.
    expect(await webhook.execute(ctx, { channel: 'sms', tenant: tenantId, token: secret, payload: form })).toMatchObject({ applied: 0 });
  });
});
