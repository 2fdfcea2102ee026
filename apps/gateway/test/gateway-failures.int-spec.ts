import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { eventually } from '@app/shared/testing/eventually';
import { createGatewayApp } from '../src/gateway.app';
import { BrokerConnection } from '../src/rpc/broker-connection';
import { closeApp } from '@app/shared/app/create-service-app';
import { PROBE_OPERATIONS, probeTenants, startProbeService } from './support/probe-service';

const originOf = async (app: INestApplication) => (await app.getUrl()).replace('[::1]', '127.0.0.1');

describe('gateway when the broker is unreachable', () => {
  let env: TestEnvironment;
  let gateway: INestApplication;
  let base: string;
  const admin = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] });

  beforeAll(async () => {
    env = await createTestEnvironment();
    // Nothing listens on port 1: the gateway must still boot and answer.
    gateway = await createGatewayApp(env.env('gateway', { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' }), { operations: PROBE_OPERATIONS });
    base = await originOf(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await env?.dispose();
  });

  it('answers an RPC route with 503 problem+json at once, not after the timeout', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: admin });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body: unknown = await res.json();
    expect(body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', errorId: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('127.0.0.1:1');
  });

  it('reports every service down in the system status rather than failing', async () => {
    const res = await fetch(`${base}/v1/system/status`, { headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; services: Array<{ status: string; errorCode: string }> };
    expect(body.status).toBe('degraded');
    expect(body.services.every((s: { status: string; errorCode: string }) => s.status === 'down' && s.errorCode === 'SERVICE_UNAVAILABLE')).toBe(true);
  });

  it('reports not ready, with the broker check down', async () => {
    const res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: Record<string, { status: string }> }).checks.broker.status).toBe('down');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});

describe('gateway rate limit per tenant', () => {
  let env: TestEnvironment;
  let gateway: INestApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    gateway = await createGatewayApp(env.env('gateway', { RATE_LIMIT_PER_MINUTE: '3' }));
    base = await originOf(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await env?.dispose();
  });

  it('answers 429 with Retry-After once a tenant spends its budget, and leaves other tenants alone', async () => {
    const busy = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] });
    const calm = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] });
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/v1/system/status`, { headers: busy })).status).toBe(200);
    const limited = await fetch(`${base}/v1/system/status`, { headers: busy });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect((await fetch(`${base}/v1/system/status`, { headers: calm })).status).toBe(200);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < 6; i++) expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});

describe('gateway when its own database is unreachable', () => {
  let env: TestEnvironment;
  let service: INestApplication;
  let gateway: INestApplication;
  let base: string;
  const tenantId = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });

  beforeAll(async () => {
    env = await createTestEnvironment();
    // The tenant registry answers (the probe on the events queue), so only the database can refuse the POST.
    probeTenants.add(tenantId);
    service = await startProbeService(env);
    gateway = await createGatewayApp(env.env('gateway', { DATABASE_URL: 'postgres://127.0.0.1:1/nowhere' }), { operations: PROBE_OPERATIONS });
    base = await originOf(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    if (service) await closeApp(service);
    await env?.dispose();
  });

  it('still boots and serves requests that need no idempotency key', async () => {
    expect((await fetch(`${base}/v1/system/status`, { headers: admin })).status).toBe(200);
  });

  it('answers a POST with an Idempotency-Key with 503 rather than running it unprotected', async () => {
    const res = await fetch(`${base}/v1/probe/widgets`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ title: 'Pump', quantity: 1 }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detail: expect.stringContaining('idempotency keys') });
  });
});

describe('gateway graceful stop', () => {
  let env: TestEnvironment;
  let service: INestApplication;

  beforeAll(async () => {
    env = await createTestEnvironment();
    service = await startProbeService(env);
  });

  afterAll(async () => {
    if (service) await closeApp(service);
    await env?.dispose();
  });

  it('lets a request waiting on a service finish before it closes', async () => {
    const gateway = await createGatewayApp(env.env('gateway'), { operations: PROBE_OPERATIONS });
    const base = await originOf(gateway);
    const tenantId = randomUUID();
    probeTenants.add(tenantId);
    const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
    const inFlight = fetch(`${base}/v1/probe/slow?ms=400`, { headers: admin });
    await new Promise((r) => setTimeout(r, 100));
    const closing = closeApp(gateway);
    const res = await inFlight;
    await closing;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ body: { slept: 400 } });
  });
});

describe('gateway after its broker connection drops', () => {
  let env: TestEnvironment;
  let service: INestApplication;
  let gateway: INestApplication;
  let base: string;
  const tenantId = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });

  beforeAll(async () => {
    env = await createTestEnvironment();
    probeTenants.add(tenantId);
    service = await startProbeService(env);
    gateway = await createGatewayApp(env.env('gateway'), { operations: PROBE_OPERATIONS });
    base = await originOf(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    if (service) await closeApp(service);
    await env?.dispose();
  });

  it('reconnects on its own and answers RPC routes again (reply consumer set up anew)', async () => {
    const call = () => fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: admin });
    expect((await call()).status).toBe(200);
    // What a broker restart or a network cut looks like from the gateway: the connection goes away.
    await gateway.get(BrokerConnection).manager.connection!.close();
    await eventually(async () => expect((await call()).status).toBe(200), { timeoutMs: 15000, intervalMs: 100 });
  });
});
