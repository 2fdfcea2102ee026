import { randomUUID } from 'node:crypto';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/** The JTD dispatcher through the gateway: jobs, history, actions, settings, inbox, webhooks, tenancy, events. */
describe('JTD dispatcher over HTTP and events', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  let capture: CapturedEvents;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const adminA = randomUUID();
  const userA = randomUUID();
  const a = authHeader({ tenantId: tenantA, userId: adminA, roles: ['admin'] });
  const aUser = authHeader({ tenantId: tenantA, userId: userA, roles: ['agent'] });
  const b = authHeader({ tenantId: tenantB, userId: randomUUID(), roles: ['admin'] });

  const http: Stack['http'] = (...request) => stack.http(...request);

  const job = (over: Record<string, unknown> = {}) => ({
    sourceType: 'service_reminder',
    sourceId: randomUUID(),
    channel: 'email',
    recipient: { type: 'customer', name: 'Ravi', email: 'ravi@example.com' },
    variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    ...over,
  });

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, {
      // events owns the tenant registry the gateway asks.
      services: ['events', 'jtd-dispatcher'],
      env: { 'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' }, gateway: { RATE_LIMIT_PER_MINUTE: '100000' } },
    });
    for (const id of [tenantA, tenantB]) await stack.registerTenant(id);
    capture = await captureEvents(env, ['JTD_STATUS_CHANGED', 'INAPP_NOTIFICATION_CREATED']);
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('creates a job over HTTP, sends it through the fake MSG91 and shows its history', async () => {
    const created = await http('POST', '/jtd', a, job());
    expect(created.status).toBe(201);
    const id = created.body.items[0].id;
    const sent = await eventually(async () => {
      const r = await http('GET', `/jtd/${id}`, a);
      expect(r.body.status).toBe('sent');
      return r.body;
    });
    expect(sent.providerMessageId).toMatch(/^email-/);
    expect(sent.attemptLog).toHaveLength(1);
    const h = await http('GET', `/jtd/${id}/history`, a);
    expect(h.body.items.map((x: { to: unknown }) => x.to)).toEqual(['created', 'pending', 'queued', 'executing', 'sent']);
    expect(h.body.items[1]).toMatchObject({ from: 'created', isValidTransition: true, performedBy: { type: 'user', id: adminA } });
    await capture.waitFor('JTD_STATUS_CHANGED', (e) => e.payload.jtdId === id && e.payload.newStatus === 'sent');
    const list = await http('GET', `/jtd?status=sent&channel=email`, a);
    expect(list.body.items.some((j: { id: unknown }) => j.id === id)).toBe(true);
  });

  it('answers 400 naming the field for bad input', async () => {
    const r = await http('POST', '/jtd', a, job({ recipient: { type: 'customer', name: 'R', email: 'not-an-email' }, channel: 'fax' }));
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.errors).join(',')).toMatch(/channel/);
    const s = await http('PUT', '/settings/jtd', a, { quietHoursStart: '25:00' });
    expect(s.status).toBe(400);
    expect(r.body.errors).toBeDefined();
    expect((await http('GET', '/jtd/not-a-uuid', a)).status).toBe(400);
    expect((await http('POST', '/jtd', a, job({ sourceType: 'no_such_source' }))).status).toBe(400);
  });

  it("answers 404 for another tenant's job, history and actions", async () => {
    const id = (await http('POST', '/jtd', a, job({ scheduledAt: '2030-01-01T00:00:00Z' }))).body.items[0].id;
    expect((await http('GET', `/jtd/${id}`, b)).status).toBe(404);
    expect((await http('GET', `/jtd/${id}/history`, b)).status).toBe(404);
    expect((await http('POST', `/jtd/${id}/cancel`, b, {})).status).toBe(404);
    expect((await http('POST', `/jtd/${id}/retry`, b)).status).toBe(404);
    expect((await http('POST', `/jtd/${id}/transitions`, b, { toStatus: 'cancelled' })).status).toBe(404);
    expect((await http('GET', `/jtd?sourceId=x`, b)).body.items).toEqual([]);
    const cancelled = await http('POST', `/jtd/${id}/cancel`, a, { reason: 'customer asked' });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('keeps settings editable, never returns the webhook secret, and applies per-source overrides', async () => {
    const cur = await http('GET', '/settings/jtd', a);
    expect(cur.body.channelsEnabled).toMatchObject({ email: true, sms: false, inapp: true });
    expect(JSON.stringify(cur.body)).not.toMatch(/secret/i);
    const upd = await http('PUT', '/settings/jtd', a, { channelsEnabled: { sms: true }, timezone: 'Asia/Kolkata', version: cur.body.version });
    expect(upd.status).toBe(200);
    expect(upd.body.channelsEnabled).toMatchObject({ email: true, sms: true });
    expect((await http('PUT', '/settings/jtd', a, { dailyLimit: 5, version: cur.body.version })).status).toBe(409);
    const src = await http('PUT', '/settings/jtd/sources/payment_due', a, { channelsEnabled: ['sms'], priorityOverride: 9 });
    expect(src.body).toMatchObject({ channelsEnabled: ['sms'], priorityOverride: 9 });
    const created = await http('POST', '/jtd', a, {
      sourceType: 'payment_due',
      sourceId: randomUUID(),
      recipient: { type: 'customer', name: 'R', phone: '+919811111111', email: 'r@example.com' },
      variables: { customer_name: 'R', invoice_number: 'INV-1', amount: '100', due_date: '2026-12-01', tenant_name: 'T' },
    });
    expect(created.body.items.map((j: { channel: unknown; priority: unknown }) => [j.channel, j.priority])).toEqual([['sms', 9]]);
    expect((await http('GET', '/settings/jtd/sources/nope', a)).status).toBe(404);
  });

  it('delivers in-app notifications to the user inbox and marks them read, only for that user', async () => {
    const created = await http('POST', '/jtd', a, {
      sourceType: 'system',
      channel: 'inapp',
      recipient: { type: 'user', id: userA, name: 'Agent' },
      variables: { title: 'Ticket assigned', body: 'TK-1 is yours' },
    });
    const jtdId = created.body.items[0].id;
    const note = await capture.waitFor('INAPP_NOTIFICATION_CREATED', (e) => e.payload.jtdId === jtdId);
    const inbox = await eventually(async () => {
      const r = await http('GET', '/inbox', aUser);
      expect(r.body.items).toHaveLength(1);
      return r.body.items[0];
    });
    expect(inbox).toMatchObject({ id: note.payload.notificationId, title: 'Ticket assigned', isRead: false });
    expect((await http('POST', `/inbox/${inbox.id}/read`, b)).status).toBe(404);
    expect((await http('POST', `/inbox/${inbox.id}/read`, a)).status).toBe(404);
    expect((await http('POST', `/inbox/${inbox.id}/read`, aUser)).body.isRead).toBe(true);
  });

  it('maps MSG91 delivery reports onto the job, authenticated by the tenant secret; replays and unknown ids are harmless', async () => {
    const id = (await http('POST', '/jtd', a, job())).body.items[0].id;
    const sent = await eventually(async () => {
      const r = await http('GET', `/jtd/${id}`, a);
      expect(r.body.status).toBe('sent');
      return r.body;
    });
    const secret = (await http('POST', '/settings/jtd/webhook-secret', a)).body.webhookSecret;
    const post = (token: string, body: unknown, channel = 'email') => http('POST', `/webhooks/msg91/${channel}?tenant=${tenantA}&token=${token}`, {}, body);
    expect((await post('wrong', { requestId: sent.providerMessageId, eventName: 'delivered' })).status).toBe(401);
    const ok = await post(secret, { requestId: sent.providerMessageId, eventName: 'delivered' });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ applied: 1 });
    const replay = await post(secret, { requestId: sent.providerMessageId, eventName: 'delivered' });
    expect(replay.body).toMatchObject({ applied: 0 });
    await post(secret, { requestId: sent.providerMessageId, eventName: 'opened' });
    const unknown = await post(secret, [{ requestId: 'never-sent', status: '1' }], 'sms');
    expect(unknown.status).toBe(202);
    expect(unknown.body).toMatchObject({ unknown: 1 });
    const h = await http('GET', `/jtd/${id}/history`, a);
    expect(h.body.items.slice(-2).map((x: { to: unknown; performedBy: { type: unknown } }) => [x.to, x.performedBy.type])).toEqual([
      ['delivered', 'webhook'],
      ['read', 'webhook'],
    ]);
    // A late "delivered" after "read" does not move the job backwards.
    await post(secret, { requestId: sent.providerMessageId, eventName: 'delivered', uuid: 'x' });
    expect((await http('GET', `/jtd/${id}`, a)).body.status).toBe('read');
  });

  /** An SMS job to tenant A that went out, with the tenant's webhook secret, ready for a delivery report. */
  const sentSms = async (name: string, phone: string) => {
    await http('PUT', '/settings/jtd', a, { channelsEnabled: { sms: true } });
    const id = (await http('POST', '/jtd', a, job({ channel: 'sms', recipient: { type: 'customer', name, phone } }))).body.items[0].id;
    const sent = await eventually(async () => {
      const r = await http('GET', `/jtd/${id}`, a);
      expect(r.body.status).toBe('sent');
      return r.body;
    });
    const secret = (await http('POST', '/settings/jtd/webhook-secret', a)).body.webhookSecret;
    return { id, sent, secret };
  };

  it('maps an NDNC SMS report to failed with its code', async () => {
    const { id, sent, secret } = await sentSms('R', '+919822222222');
    await http('POST', `/webhooks/msg91/sms?tenant=${tenantA}&token=${secret}`, {}, [
      { requestId: sent.providerMessageId, status: '9', failureReason: 'NDNC' },
    ]);
    expect((await http('GET', `/jtd/${id}`, a)).body).toMatchObject({ status: 'failed', errorCode: 'NDNC' });
  });

  it('accepts an MSG91 delivery report posted form-encoded', async () => {
    const { id, sent, secret } = await sentSms('F', '+919844444444');
    const res = await fetch(`${stack.gatewayUrl}/webhooks/msg91/sms?tenant=${tenantA}&token=${secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ data: JSON.stringify([{ requestId: sent.providerMessageId, status: '1' }]) }).toString(),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ applied: 1 });
    expect((await http('GET', `/jtd/${id}`, a)).body.status).toBe('delivered');
  });

  it('test mode sends nothing and shows what would have been sent', async () => {
    const calls = fake.requests.length;
    const id = (await http('POST', '/jtd', a, job({ isLive: false, recipient: { type: 'customer', name: 'T', email: 'sandbox@example.com' } }))).body.items[0]
      .id;
    await eventually(async () => expect((await http('GET', `/jtd/${id}`, a)).body.status).toBe('sent'));
    expect(fake.requests.slice(calls).filter((r) => r.rawBody.includes('sandbox@example.com'))).toEqual([]);
    const box = await http('GET', '/jtd/sandbox', a);
    const mine = box.body.items.find((m: { jtdId: unknown }) => m.jtdId === id);
    expect(mine.request.body.recipients[0].to[0].email).toBe('sandbox@example.com');
    expect(mine.request.headers.authkey).toBe('***');
    // Filtered to one job, and paged like every list.
    const other = (await http('POST', '/jtd', a, job({ isLive: false, recipient: { type: 'customer', name: 'U', email: 'sandbox2@example.com' } }))).body
      .items[0].id;
    await eventually(async () => expect((await http('GET', `/jtd/sandbox?jtdId=${other}`, a)).body.items).toHaveLength(1));
    expect((await http('GET', `/jtd/sandbox?jtdId=${id}`, a)).body.items.map((m: { jtdId: unknown }) => m.jtdId)).toEqual([id]);
    const first = await http('GET', '/jtd/sandbox?limit=1', a);
    expect(first.body.items.map((m: { jtdId: unknown }) => m.jtdId)).toEqual([other]);
    const second = await http('GET', `/jtd/sandbox?limit=1&cursor=${first.body.nextCursor}`, a);
    expect(second.body.items.map((m: { jtdId: unknown }) => m.jtdId)).toEqual([id]);
  });

  it('seeds tenant defaults from TENANT_CREATED and creates jobs from JTD_REQUESTED exactly once', async () => {
    const tenantC = randomUUID();
    const c = authHeader({ tenantId: tenantC, userId: randomUUID(), roles: ['admin'] });
    // Registered through the gateway: the events service publishes TENANT_CREATED for it.
    await stack.registerTenant(tenantC, { name: 'C', timezone: 'Asia/Kolkata', locale: 'en-IN' });
    await eventually(async () => expect((await http('GET', '/settings/jtd', c)).body.timezone).toBe('Asia/Kolkata'));
    // The OTP the tickets service asks for goes out by SMS (enabled here; the default is email + in-app only).
    await http('PUT', '/settings/jtd', c, { channelsEnabled: { sms: true } });
    const otp = testEnvelope(
      'JTD_REQUESTED',
      {
        requestId: 'otp-2',
        eventType: 'notification',
        sourceType: 'otp_verification',
        channels: ['sms'],
        recipient: { type: 'customer', name: 'U', phone: '+919833333333' },
        variables: { otp: '4821', ticket_number: 'TK-9' },
      },
      { tenantId: tenantC, source: 'tickets' },
    );
    await publishRaw(env, [otp, { ...otp, id: randomUUID() }]);
    const sent = await eventually(async () => {
      const r = await http('GET', '/jtd?sourceType=otp_verification', c);
      expect(r.body.items).toHaveLength(1);
      expect(r.body.items[0].status).toBe('sent');
      return r.body.items[0];
    });
    const req = fake.requests.find((r) => r.rawBody.includes('919833333333'))!;
    expect(req.body.recipients[0]).toMatchObject({ otp: '4821', ticket_number: 'TK-9' });
    expect(sent.channel).toBe('sms');
  });

  it('turns CONTRACT_EVENT_DUE into a service reminder and billing OVERDUE into payment_overdue', async () => {
    const due = testEnvelope(
      'CONTRACT_EVENT_DUE',
      {
        eventId: randomUUID(),
        contractId: randomUUID(),
        taskId: 'TSK-1',
        eventType: 'service',
        title: 'Quarterly AC service',
        scheduledDate: '2026-12-01',
        contract: { id: randomUUID(), contractNumber: 'CN-1', title: 'AMC' },
        customer: { name: 'Ravi', email: 'ravi.due@example.com' },
        previousStatus: 'scheduled',
        newStatus: 'due',
      },
      { tenantId: tenantA, source: 'events' },
    );
    await publishRaw(env, [due]);
    await eventually(async () => {
      const r = await http('GET', `/jtd?sourceType=service_reminder&sourceId=${due.payload.eventId}`, a);
      expect(r.body.items.map((j: { status: unknown }) => j.status)).toContain('sent');
    });
    const overdue = testEnvelope(
      'CONTRACT_EVENT_OVERDUE',
      {
        ...due.payload,
        eventId: randomUUID(),
        eventType: 'billing',
        title: 'Invoice 3/12',
        amount: '1500.00',
        currency: 'INR',
        previousStatus: 'due',
        newStatus: 'overdue',
      },
      { tenantId: tenantA, source: 'events' },
    );
    await publishRaw(env, [overdue, overdue]);
    await eventually(async () => {
      const r = await http('GET', `/jtd?sourceType=payment_overdue&sourceId=${overdue.payload.eventId}`, a);
      // Email goes out; SMS (enabled for this tenant earlier) fails on the missing phone without blocking it.
      expect(Object.fromEntries(r.body.items.map((j: { channel: unknown; status: unknown }) => [j.channel, j.status]))).toEqual({
        email: 'sent',
        sms: 'failed',
      });
    });
    const req = fake.requests.filter((x) => x.body?.template_id === 'payment_overdue_email_v1').at(-1)!;
    expect(req.body.recipients[0].variables.amount).toBe('INR 1500.00');
  });
});
