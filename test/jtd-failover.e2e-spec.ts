import { randomUUID } from 'node:crypto';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/**
 * Channel fallback and provider failover through the gateway: the tenant's fallback read and replaced over
 * HTTP (validated: no cycles, enabled channels only, admins only, optimistic version), then a WhatsApp job
 * that MSG91 refuses continues on SMS, where the first MSG91 account is down and the second one sends; the
 * job's attempt log and history show every step.
 */
describe('JTD channel fallback and provider failover over HTTP', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  const tenantId = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
  const viewer = authHeader({ tenantId, userId: randomUUID(), roles: ['viewer'] });
  const http: Stack['http'] = (...request) => stack.http(...request);

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    const providers = { sms: [{ id: 'msg91' }, { id: 'msg91-b', adapter: 'msg91', credentials: { MSG91_BASE_URL: fake.accountUrl('b') } }] };
    stack = await startStack(env, {
      services: ['events', 'jtd-dispatcher'],
      env: {
        'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200', JTD_CHANNEL_PROVIDERS: JSON.stringify(providers) },
        gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
      },
    });
    await stack.registerTenant(tenantId);
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('reads and replaces the fallback: only enabled channels, no cycle, admins only, stale version 409', async () => {
    const initial = await http('GET', '/settings/jtd/channel-fallback', admin);
    expect(initial.status).toBe(200);
    expect(initial.body.routes).toEqual([]);

    // A new tenant has SMS and WhatsApp off: routes through them are refused, naming the route.
    const off = await http('PUT', '/settings/jtd/channel-fallback', admin, { routes: [{ from: 'whatsapp', to: 'email' }] });
    expect(off.status).toBe(400);
    expect(off.body.errors['routes.0.from']).toEqual(['channel whatsapp is not enabled for this tenant']);

    const enabled = await http('PUT', '/settings/jtd', admin, { channelsEnabled: { sms: true, whatsapp: true } });
    expect(enabled.status).toBe(200);

    const cycle = await http('PUT', '/settings/jtd/channel-fallback', admin, {
      routes: [
        { from: 'whatsapp', to: 'sms' },
        { from: 'sms', to: 'whatsapp' },
      ],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.code).toBe('VALIDATION_FAILED');
    expect(cycle.body.errors['routes.0.to']).toEqual(['whatsapp → sms → whatsapp is a cycle']);

    const unknown = await http('PUT', '/settings/jtd/channel-fallback', admin, { routes: [{ from: 'fax', to: 'sms' }] });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toContain('routes.0.from');

    expect((await http('PUT', '/settings/jtd/channel-fallback', viewer, { routes: [] })).status).toBe(403);
    expect((await http('GET', '/settings/jtd/channel-fallback', viewer)).status).toBe(403);

    const put = await http('PUT', '/settings/jtd/channel-fallback', admin, {
      routes: [
        { from: 'sms', to: 'email' },
        { from: 'whatsapp', to: 'sms' },
      ],
      version: enabled.body.version,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      routes: [
        { from: 'sms', to: 'email' },
        { from: 'whatsapp', to: 'sms' },
      ],
      version: enabled.body.version + 1,
    });
    expect((await http('GET', '/settings/jtd/channel-fallback', admin)).body).toEqual(put.body);

    const stale = await http('PUT', '/settings/jtd/channel-fallback', admin, { routes: [], version: enabled.body.version });
    expect(stale.status).toBe(409);
  });

  it('a WhatsApp job refused by MSG91 continues on SMS, where the second account sends when the first is down; the job shows every step', async () => {
    fake.script('whatsapp', { status: 400, body: { status: 'fail', message: 'template not approved' } });
    fake.script('sms', { status: 503, body: { message: 'maintenance' } });
    const created = await http('POST', '/jtd', admin, {
      sourceType: 'service_reminder',
      sourceId: randomUUID(),
      channel: 'whatsapp',
      recipient: { type: 'customer', name: 'Ravi', email: 'ravi@example.com', phone: '+919812345678' },
      variables: { customer_name: 'Ravi', service_type: 'AC service', service_date: '2026-12-01', tenant_name: 'CoolAir' },
    });
    expect(created.status).toBe(201);
    const id = created.body.items[0].id;

    const done = await eventually(async () => {
      const r = await http('GET', `/jtd/${id}`, admin);
      expect(r.body.status).toBe('sent');
      return r.body;
    });
    expect(done).toMatchObject({ channel: 'sms', recipient: { contact: '+919812345678' }, templateKey: 'service_reminder_sms_v1' });
    expect((done.attemptLog as Array<{ channel: string; provider: string; outcome: string }>).map((a) => `${a.channel}/${a.provider}:${a.outcome}`)).toEqual([
      'whatsapp/msg91:permanent',
      'sms/msg91:retryable',
      'sms/msg91-b:sent',
    ]);
    expect(fake.of('sms', 'b').at(-1)!.body.recipients[0].mobiles).toBe('919812345678');

    const history = (await http('GET', `/jtd/${id}/history?limit=100`, admin)).body.items;
    const fallback = (history as Array<{ details: { switch?: string }; note: string }>).find((h) => h.details.switch === 'channel_fallback')!;
    expect(fallback).toMatchObject({ to: 'pending', details: { from: 'whatsapp', to: 'sms' } });
    expect(fallback.note).toBe('channel fallback whatsapp → sms: template not approved');
    expect(history.at(-1)).toMatchObject({
      to: 'sent',
      note: 'providers: msg91 retryable (HTTP_503) → msg91-b sent',
      details: { switch: 'provider_failover' },
    });
  });
});
