import type { CheckedJson } from './support/documented-answers';
import { JtdRequestedPayload } from '@app/shared/catalog/jtd.catalog';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { captureEvents, CapturedEvents } from '@app/shared/messaging/testing/capture-events';
import { isSealed } from '@app/shared/security/sealed-fields';
import { eventually } from '@app/shared/testing/eventually';
import { openSealed } from '@app/shared/testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

// Every app logs through createLogger: here at trace level into this list, so the run's logs can be searched.
const mockLogLines: string[] = [];
jest.mock('@app/shared/logging/logger', () => {
  const actual = jest.requireActual('@app/shared/logging/logger');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      mockLogLines.push(String(chunk));
      done();
    },
  });
  return { ...actual, createLogger: (service: string, _level?: string, destination?: unknown) => actual.createLogger(service, 'trace', destination ?? sink) };
});

/**
 * The finding, end to end: an agent read a customer's OTP in the event log and verified the evidence
 * with it. Now the code reaches the provider (or, in test mode, nothing at all) and appears in no answer any
 * tenant user gets, in no metric and in no log line; the event log is for admins.
 */
describe('the OTP of evidence stays secret', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  let capture: CapturedEvents;
  const platform = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['platform_admin'] });

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, { env: { 'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' }, gateway: { RATE_LIMIT_PER_MINUTE: '100000' } } });
    capture = await captureEvents(env, ['JTD_REQUESTED']);
  });

  afterAll(async () => {
    await capture?.close();
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  const http: Stack['http'] = (...request) => stack.http(...request);

  async function ok(method: string, path: string, as: Record<string, string>, body?: unknown, status = 200) {
    const res = await http(method, path, as, body);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A tenant registered by a platform admin, its admin and agent, and a ticket on an active contract whose customer has `phone`. */
  async function tenantWithTicket(name: string, phone: string, isLive: boolean) {
    const tenant = await ok('POST', '/tenants', platform, { name, timezone: 'Asia/Kolkata', locale: 'en-IN' }, 201);
    const admin = authHeader({ tenantId: tenant.id, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' });
    const agent = authHeader({ tenantId: tenant.id, userId: randomUUID(), roles: ['agent'], name: 'Arun Agent' });
    // Seeded from TENANT_CREATED a moment later; OTPs go by SMS, which a tenant enables.
    await eventually(() => ok('PUT', '/settings/jtd', admin, { channelsEnabled: { email: true, sms: true, whatsapp: true, inapp: true }, isLive }));
    const contract = await ok(
      'POST',
      '/contracts',
      admin,
      {
        contractNumber: `AMC-${name}`,
        title: 'Chiller AMC',
        timezone: 'Asia/Kolkata',
        customer: { name: 'Lakeview Towers', email: 'facilities@lakeview.example', phone },
        startDate: '2027-01-01',
        endDate: '2027-12-31',
        services: [{ name: 'Chiller service visit', quantity: 2 }],
        billing: { mode: 'prepaid', total: '12000.00', currency: 'INR' },
      },
      201,
    );
    await ok('POST', `/contracts/${contract.id}/activate`, admin);
    const events = await ok('GET', `/events?contractId=${contract.id}&type=service`, admin);
    // The tickets service learns the contract from the broker: retry until its read model has it.
    const ticket = await eventually(() => ok('POST', '/tickets', agent, { contractId: contract.id, eventIds: [events.items[0].id] }, 201));
    return { tenantId: tenant.id as string, admin, agent, ticket };
  }

  /** OTP evidence requested by the agent, its job once sent, and the code as the broker carried it (opened with the services' key). */
  async function requestOtp(t: Awaited<ReturnType<typeof tenantWithTicket>>, status = 'sent') {
    const evidence = await ok('POST', `/tickets/${t.ticket.id}/evidence`, t.agent, { type: 'otp', otp: { channel: 'sms' } }, 201);
    const requested = await capture.waitFor<JtdRequestedPayload>('JTD_REQUESTED', (e) => e.payload.sourceId === evidence.id);
    expect(isSealed(requested.payload.variables.otp)).toBe(true);
    const code = openSealed(requested.payload.variables.otp, t.tenantId);
    expect(JSON.stringify(requested)).not.toContain(code);
    const job = await eventually(async () => {
      const page = await ok('GET', `/jtd?sourceType=otp_verification&sourceId=${evidence.id}`, t.admin);
      expect(page.items.map((j: { status: string }) => j.status)).toEqual([status]);
      return page.items[0];
    });
    return { evidence, code, job };
  }

  /** Everything the role can read about the OTP: each answer's body, or its status when refused. */
  async function readEverything(t: Awaited<ReturnType<typeof tenantWithTicket>>, as: Record<string, string>, o: Awaited<ReturnType<typeof requestOtp>>) {
    const paths = [
      `/event-log?type=JTD_REQUESTED&aggregateId=${o.evidence.id}`,
      `/event-log?aggregateId=${o.evidence.id}`,
      `/event-log?limit=200`,
      '/event-catalog/JTD_REQUESTED',
      '/jtd?limit=200',
      `/jtd/${o.job.id}`,
      `/jtd/${o.job.id}/history`,
      '/jtd/sandbox?limit=200',
      `/tickets/${t.ticket.id}`,
      `/tickets/${t.ticket.id}/evidence`,
      '/admin/dead-letters',
      '/inbox',
    ];
    const answers: Record<string, { status: number; body: unknown }> = {};
    for (const path of paths) answers[path] = await http('GET', path, as);
    return answers;
  }

  /** The code where it is the code: not inside a UUID or a longer number (a metric, a timestamp) it happens to be part of. */
  function leaks(text: string, code: string): string[] {
    const innocent: Array<[number, number]> = [];
    for (const m of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{7,}/gi)) innocent.push([m.index!, m.index! + m[0].length]);
    const found: string[] = [];
    for (let i = text.indexOf(code); i >= 0; i = text.indexOf(code, i + 1)) {
      if (!innocent.some(([from, to]) => i >= from && i + code.length <= to)) found.push(text.slice(Math.max(0, i - 120), i + code.length + 40));
    }
    return found;
  }

  it('sends the code to the provider only: no reader, metric or log line sees it, and the event log is for admins', async () => {
    const live = await tenantWithTicket('LIVE', '+919811111111', true);
    const sandbox = await tenantWithTicket('SANDBOX', '+919822222222', false);
    const liveOtp = await requestOtp(live);
    const sandboxOtp = await requestOtp(sandbox);
    // A provider that refuses the message quoting all of it back: the error is kept, and shown to readers of the job.
    fake.onRequest = (route, req) => route === 'sms' && fake.script('sms', { status: 400, body: { type: 'error', message: `rejected: ${req.rawBody}` } });
    const refusedOtp = await requestOtp(live, 'failed');
    fake.onRequest = undefined;

    // The provider got the live code, and nothing of the test-mode one.
    const sms = fake.of('sms').filter((r) => r.body?.recipients?.[0]?.mobiles === '919811111111');
    expect(sms.map((r) => r.body.recipients[0].otp)).toEqual([liveOtp.code, refusedOtp.code]);
    expect(fake.requests.some((r) => r.rawBody.includes('919822222222'))).toBe(false);

    const answers: Record<string, unknown> = {};
    for (const [name, t, o] of [
      ['live', live, liveOtp],
      ['refused', live, refusedOtp],
      ['sandbox', sandbox, sandboxOtp],
    ] as const) {
      const asAgent = await readEverything(t, t.agent, o);
      const asAdmin = await readEverything(t, t.admin, o);
      answers[`${name} agent`] = asAgent;
      answers[`${name} admin`] = asAdmin;

      expect(asAgent[`/event-log?aggregateId=${o.evidence.id}`].status).toBe(403);
      expect(asAgent['/jtd/sandbox?limit=200'].status).toBe(403);
      expect(asAgent[`/tickets/${t.ticket.id}/evidence`].status).toBe(200);
      const logged = asAdmin[`/event-log?type=JTD_REQUESTED&aggregateId=${o.evidence.id}`].body as {
        items: Array<{ payload: { variables: Record<string, unknown> } }>;
      };
      expect(logged.items).toHaveLength(1);
      expect(logged.items[0].payload.variables).toEqual({ otp: '[sealed]', ticket_number: t.ticket.ticketNumber });
      expect((asAdmin['/event-catalog/JTD_REQUESTED'].body as { sensitiveFields: string[] }).sensitiveFields).toEqual(['variables.otp']);
    }
    const refused = (answers['refused agent'] as Record<string, { body: CheckedJson }>)[`/jtd/${refusedOtp.job.id}`].body;
    expect(refused.lastError).toContain('rejected: ');
    expect(refused.attemptLog[0].error).toContain('••••••');
    // Test mode keeps the request that would have gone out, the code masked where it would have been.
    const kept = (answers['sandbox admin'] as Record<string, { body: CheckedJson }>)['/jtd/sandbox?limit=200'].body.items;
    expect(kept.find((m: { jtdId: string }) => m.jtdId === sandboxOtp.job.id).request.body.recipients[0]).toMatchObject({
      otp: '••••••',
      mobiles: '919822222222',
    });

    const origins = [
      stack.origin,
      ...(await Promise.all(
        (['events', 'tickets', 'jtd-dispatcher'] as const).map(async (app) => (await stack.apps[app]!.getUrl()).replace('[::1]', '127.0.0.1')),
      )),
    ];
    const metrics = await Promise.all(origins.map(async (origin) => (await fetch(`${origin}/metrics`)).text()));
    expect(metrics.every((m) => m.includes('# HELP'))).toBe(true);

    // The code the provider received verifies the evidence: it really was the code, and it was sent.
    const verified = await ok('POST', `/tickets/${live.ticket.id}/evidence/${liveOtp.evidence.id}/verify-otp`, live.agent, {
      code: sms[0].body.recipients[0].otp,
    });
    expect(verified).toMatchObject({ status: 'uploaded', otp: { verifiedAt: expect.any(String) } });
    answers['after verification'] = await readEverything(live, live.admin, liveOtp);

    await new Promise((r) => setTimeout(r, 300)); // the last access-log lines of the run
    const logs = mockLogLines.join('');
    // In one process Nest's static Logger writes through the app created last, so lines are found by content, not by service name.
    for (const app of ['events', 'tickets', 'jtd-dispatcher']) expect(logs).toContain(`${app}RootModule dependencies initialized`);
    expect(logs).toContain('request completed');
    const everything = JSON.stringify(answers);
    for (const code of [liveOtp.code, refusedOtp.code, sandboxOtp.code]) {
      expect(leaks(everything, code)).toEqual([]);
      expect(leaks(metrics.join('\n'), code)).toEqual([]);
      expect(leaks(logs, code)).toEqual([]);
    }
  });
});
