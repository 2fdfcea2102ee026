import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { referenceContract } from '../apps/events/test/support/contract-factory';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { eventually } from '@app/shared/testing/eventually';
import { authHeader } from '@app/shared/testing/tokens';
import { startStack, Stack } from './support/stack';

/** GET /system/status, as far as these tests read it. */
interface SystemStatus {
  status: string;
  gateway: unknown;
  services: Array<{ name: string; status: string; readiness: { status: string; checks: Record<string, { status: string }> } }>;
}

const tenantId = randomUUID();
const userId = randomUUID();
const admin = () => authHeader({ tenantId, userId, roles: ['admin'] });

describe('gateway: first wire through the whole system', () => {
  let env: TestEnvironment;
  let stack: Stack;

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { gateway: { RPC_TIMEOUT_MS: '1500' } } });
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('reports name, version, readiness and round trip of every service over RabbitMQ', async () => {
    const res = await fetch(`${stack.gatewayUrl}/system/status`, { headers: admin() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SystemStatus;
    expect(body).toMatchObject({ status: 'ok' });
    expect(body.gateway).toMatchObject({ name: 'gateway', version: expect.any(String), readiness: { status: 'ok' } });
    expect(body.services.map((s: { name: string }) => s.name).sort()).toEqual(['events', 'jtd-dispatcher', 'tickets']);
    for (const s of body.services) {
      expect(s).toMatchObject({ status: 'up', version: expect.stringMatching(/^\d+\.\d+\.\d+/), roundTripMs: expect.any(Number) });
      expect(s.readiness.status).toBe('ok');
      expect(s.readiness.checks.database.status).toBe('up');
      expect(s.readiness.checks.broker.status).toBe('up');
    }
  });

  it('refuses system status to a caller without the admin role', async () => {
    const res = await fetch(`${stack.gatewayUrl}/system/status`, { headers: authHeader({ tenantId, userId, roles: ['agent'] }) });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('echoes the caller’s X-Request-Id and generates one when absent', async () => {
    const given = await fetch(`${stack.gatewayUrl}/system/status`, { headers: { ...admin(), 'x-request-id': 'trace-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await fetch(`${stack.gatewayUrl}/system/status`, { headers: admin() });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves only registered tenants: 403 TENANT_UNKNOWN before (401 on its webhook, which reveals no tenant), served once POST /tenants registered the id, 409 for the same id again', async () => {
    const newcomer = randomUUID();
    const theirAdmin = authHeader({ tenantId: newcomer, userId, roles: ['admin'] });
    const before = await stack.http('GET', '/contracts', theirAdmin);
    expect(before).toMatchObject({ status: 403, body: { code: 'TENANT_UNKNOWN' } });
    const webhook = await stack.http('POST', `/webhooks/msg91/sms?tenant=${newcomer}&token=whatever-secret`, {}, { requestId: 'r-1', status: '1' });
    expect(webhook).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });

    expect(await stack.registerTenant(newcomer)).toBe(newcomer);
    // The gateway remembers "unknown" for a few seconds only.
    await eventually(async () => expect((await stack.http('GET', '/contracts', theirAdmin)).status).toBe(200), { timeoutMs: 15000, intervalMs: 500 });
    const platform = authHeader({ tenantId: randomUUID(), userId, roles: ['platform_admin'] });
    const again = await stack.http('POST', '/tenants', platform, { id: newcomer, name: 'Imported twice', timezone: 'Asia/Kolkata' });
    expect(again).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
  });

  it('gives a keyed POST retried after a 504 the answer of the attempt that committed late, and makes one contract', async () => {
    const tenant = await stack.registerTenant();
    const theirAdmin = { ...authHeader({ tenantId: tenant, userId, roles: ['admin'] }), 'idempotency-key': randomUUID() };
    const contract = referenceContract({ title: `Late commit ${randomUUID()}` });
    const contractsOf = async (db: Client) =>
      (await db.query('SELECT id FROM events.contracts WHERE tenant_id = $1 AND title = $2', [tenant, contract.title])).rows.map((r) => r.id as string);
    const db = new Client({ connectionString: env.adminDatabaseUrl });
    await db.connect();
    try {
      // Inserts into contracts wait behind this lock: the service commits only after the gateway gave up.
      await db.query('BEGIN');
      await db.query('LOCK TABLE events.contracts IN EXCLUSIVE MODE');
      const first = await stack.http('POST', '/contracts', theirAdmin, contract);
      expect(first).toMatchObject({ status: 504, body: { code: 'SERVICE_TIMEOUT' } });
      await db.query('COMMIT');
      await eventually(async () => expect(await contractsOf(db)).toHaveLength(1), { timeoutMs: 10000, intervalMs: 100 });

      // The gateway forgot the key (the attempt failed); the service remembers the request.
      const retry = await stack.http('POST', '/contracts', theirAdmin, contract);
      expect(retry.status).toBe(201);
      expect(retry.body).toMatchObject({ id: (await contractsOf(db))[0], title: contract.title });
      expect(await contractsOf(db)).toHaveLength(1);
      const replay = await stack.http('POST', '/contracts', theirAdmin, contract);
      expect(replay).toMatchObject({ status: 201, body: { id: retry.body.id } });
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });

  it('reports a stopped service as down within the RPC timeout instead of failing the whole status', async () => {
    await stack.stop('tickets');
    const started = Date.now();
    const res = await fetch(`${stack.gatewayUrl}/system/status`, { headers: admin() });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SystemStatus;
    expect(body.status).toBe('degraded');
    const tickets = body.services.find((s: { name: string }) => s.name === 'tickets');
    expect(tickets).toMatchObject({
      status: 'down',
      errorCode: expect.stringMatching(/SERVICE_UNAVAILABLE|SERVICE_TIMEOUT/),
      error: expect.stringContaining('tickets'),
    });
    expect(body.services.find((s: { name: string }) => s.name === 'events')!.status).toBe('up');
  });
});
