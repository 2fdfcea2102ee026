import { randomUUID } from 'node:crypto';
import { MSG91_WEBHOOK_MAX_BYTES, MSG91_WEBHOOK_MAX_REPORTS } from '@app/shared/api/jtd/msg91-webhook.dto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/**
 * Issue 11 over HTTP: the webhook's bounds (the gateway's byte limit for the operation, the service's report
 * limit), its secret shown once, and provider profiles a tenant may not borrow. Every answer is checked
 * against the OpenAPI document by `stack.http`.
 */
describe('MSG91 webhooks and provider profiles through the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  let tenantId: string;
  let admin: Record<string, string>;
  const otherTenant = randomUUID();

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, {
      services: ['events', 'jtd-dispatcher'],
      env: {
        'jtd-dispatcher': { ...fake.env(), JTD_TENANT_PROVIDERS: JSON.stringify({ theirs: { tenants: [otherTenant], MSG91_AUTH_KEY: 'their-own-key' } }) },
        gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
      },
    });
    tenantId = await stack.registerTenant();
    admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
  });

  const webhookUrl = (token: string) => `${stack.gatewayUrl}/webhooks/msg91/sms?tenant=${tenantId}&token=${token}`;

  it('shows the webhook secret once: the rotation answers it, the settings never do', async () => {
    const rotated = await stack.http('POST', '/settings/jtd/webhook-secret', admin);
    expect(rotated.status).toBe(200);
    const secret = rotated.body.webhookSecret;
    const read = await stack.http('GET', '/settings/jtd', admin);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const path = rotated.body.webhookPaths.sms.replace(/^\/v1/, '');
    expect((await stack.http('POST', path, {}, [{ requestId: 'nobody', status: '1' }])).body).toMatchObject({ received: 1, unknown: 1 });
  });

  it(`answers 413 problem+json above ${MSG91_WEBHOOK_MAX_BYTES / 1024} KiB, JSON or form-encoded, before the service sees it`, async () => {
    const secret = (await stack.http('POST', '/settings/jtd/webhook-secret', admin)).body.webhookSecret;
    const pad = 'x'.repeat(MSG91_WEBHOOK_MAX_BYTES);
    const json = await fetch(webhookUrl(secret), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ requestId: 'r', status: '1', pad }]),
    });
    expect(json.status).toBe(413);
    expect(json.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const form = await fetch(webhookUrl(secret), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ data: JSON.stringify([{ requestId: 'r', status: '1' }]), pad }).toString(),
    });
    expect(form.status).toBe(413);
    // Other operations keep the gateway's limit (1 MiB): the same body size is no problem for them.
    const elsewhere = await stack.http('PUT', '/settings/jtd', admin, { timezone: 'Asia/Kolkata', pad });
    expect(elsewhere.status).toBe(400);
  });

  it(`answers 413 for more than ${MSG91_WEBHOOK_MAX_REPORTS} reports, and applies up to that many`, async () => {
    const secret = (await stack.http('POST', '/settings/jtd/webhook-secret', admin)).body.webhookSecret;
    const path = `/webhooks/msg91/sms?tenant=${tenantId}&token=${secret}`;
    const reports = (n: number) => Array.from({ length: n }, (_, i) => ({ requestId: `r-${i}`, status: '1' }));
    const over = await stack.http('POST', path, {}, reports(MSG91_WEBHOOK_MAX_REPORTS + 1));
    expect(over).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    const atBound = await stack.http('POST', path, {}, reports(MSG91_WEBHOOK_MAX_REPORTS));
    expect(atBound).toMatchObject({ status: 202, body: { received: MSG91_WEBHOOK_MAX_REPORTS, unknown: MSG91_WEBHOOK_MAX_REPORTS } });
  });

  it('answers 422 to a tenant naming another tenant’s provider profile', async () => {
    const res = await stack.http('PUT', '/settings/jtd', admin, { providerProfile: 'theirs' });
    expect(res).toMatchObject({ status: 422, body: { code: 'BUSINESS_RULE' } });
    expect((await stack.http('GET', '/settings/jtd', admin)).body.providerProfile).toBeNull();
  });
});
