import { randomUUID } from 'node:crypto';
import { createLogger } from '@app/shared/logging/logger';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { SERVICES } from '@app/shared/rpc/rpc-request';
import { startStack, Stack } from './support/stack';

const headers = authHeader({ tenantId: randomUUID(), userId: randomUUID(), roles: ['admin'] });

/**
 * RPC through the gateway under load: many sequential and concurrent calls all get their own answer
 * (no reply crossed, none lost, the service keeps consuming). The figures are logged, not asserted.
 */
describe('gateway RPC round trips', () => {
  let env: TestEnvironment;
  let stack: Stack;
  // Nest's Logger is silenced by the apps under test (LOG_LEVEL silent); the figures get their own logger.
  const logger = createLogger('gateway-rpc', 'info');

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { gateway: { RATE_LIMIT_PER_MINUTE: '1000000' } } });
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  const status = async (requestId: string) => {
    const res = await fetch(`${stack.gatewayUrl}/system/status`, { headers: { ...headers, 'x-request-id': requestId } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const body = (await res.json()) as { services: Array<{ name: string; status: string; errorCode?: string }> };
    // Every service answered its own call: a lost or crossed reply would show as `down` (SERVICE_TIMEOUT) or a
    // wrong name. `degraded` is allowed: a readiness check (SELECT 1 within 2 s) may be slow on a loaded machine.
    expect(body.services.map((s) => [s.name, s.status === 'down' ? `down: ${s.errorCode}` : 'answered'])).toEqual(SERVICES.map((name) => [name, 'answered']));
  };

  it('answers 300 sequential status requests (900 RPCs) without losing or crossing a reply', async () => {
    await status('warm-up');
    const n = 300;
    const started = performance.now();
    for (let i = 0; i < n; i++) await status(`seq-${i}`);
    const ms = performance.now() - started;
    logger.info(`sequential: ${n} requests × 3 RPCs in ${ms.toFixed(0)} ms → ${((n * 1000) / ms).toFixed(0)} req/s, ${(ms / n).toFixed(2)} ms/request`);
  });

  it('answers 600 requests issued 50 at a time', async () => {
    const n = 600;
    const concurrency = 50;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) await status(`par-${next++}`);
      }),
    );
    const ms = performance.now() - started;
    logger.info(`concurrent(${concurrency}): ${n} requests × 3 RPCs in ${ms.toFixed(0)} ms → ${((n * 1000) / ms).toFixed(0)} req/s`);
  });
});
