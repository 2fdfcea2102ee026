import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeApp } from '@app/shared/app/create-service-app';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';
import { PROBE_OPERATIONS, probeTenants, startProbeService } from './support/probe-service';

const LIMIT = 10;
/** Started or found by the jest global setup (scripts/lib/infra.js ensureRedis). */
const redisUrl = () => process.env.CN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const originOf = async (app: INestApplication) => (await app.getUrl()).replace('[::1]', '127.0.0.1');

/**
 * The rate limit with several gateway replicas: with RATE_LIMIT_REDIS_URL they share one budget per tenant
 * in Redis (the real one); without it, or while Redis is unreachable, each replica counts on its own.
 */
describe('gateway rate limit across replicas', () => {
  let env: TestEnvironment;
  let service: INestApplication;
  const gateways: INestApplication[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    service = await startProbeService(env);
  });

  afterAll(async () => {
    for (const g of gateways) await g.close().catch(() => undefined);
    if (service) await closeApp(service);
    await env?.dispose();
  });

  const replicas = async (n: number, extra: Record<string, string>) => {
    const started = await Promise.all(
      Array.from({ length: n }, () =>
        createGatewayApp(env.env('gateway', { RATE_LIMIT_PER_MINUTE: String(LIMIT), ...extra }), { operations: PROBE_OPERATIONS }),
      ),
    );
    gateways.push(...started);
    return Promise.all(started.map(originOf));
  };

  /** `count` requests of one new tenant spread round-robin over the replicas; the statuses by replica. */
  const spread = async (origins: string[], count: number) => {
    const tenantId = randomUUID();
    probeTenants.add(tenantId);
    const headers = authHeader({ tenantId, userId: randomUUID(), roles: ['agent'] });
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${origins[i % origins.length]}/v1/probe/widgets/${randomUUID()}`, { headers });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    return statuses;
  };

  it('with Redis, requests spread over two replicas hit the tenant’s limit once, not once per replica', async () => {
    const origins = await replicas(2, { RATE_LIMIT_REDIS_URL: redisUrl() });
    const statuses = await spread(origins, 2 * LIMIT);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((s) => s === 429)).toBe(true);
    // Both replicas refuse once the shared budget is spent.
    expect(new Set(statuses.slice(LIMIT).map((_, i) => (LIMIT + i) % 2))).toEqual(new Set([0, 1]));
  });

  it('without a store, each replica counts on its own (the limit per replica)', async () => {
    const origins = await replicas(2, {});
    const statuses = await spread(origins, 2 * LIMIT + 2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2 * LIMIT);
  });

  it('while Redis is unreachable, serves and limits per replica, and counts the store errors', async () => {
    const [origin] = await replicas(1, { RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:1' });
    const statuses = await spread([origin], LIMIT + 1);
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses[LIMIT]).toBe(429);
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(Number(/gateway_rate_limit_store_errors_total\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(LIMIT + 1);
  });
});
