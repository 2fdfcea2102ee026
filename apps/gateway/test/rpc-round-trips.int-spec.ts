import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeApp } from '@app/shared/app/create-service-app';
import { RequestContext } from '@app/shared/context/request-context';
import { createLogger } from '@app/shared/logging/logger';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';
import { ServiceRpc } from '../src/rpc/service-rpc';
import { EchoInput, PROBE_OPERATIONS, probeEcho, probeTenants, startProbeService } from './support/probe-service';

/**
 * Many RPCs in a row and at once: every call gets its own answer (no reply crossed or lost) and the
 * service keeps consuming past its prefetch. Round-trip figures are logged for the record, never asserted.
 */
describe('gateway RPC round trips (echo on a probe service)', () => {
  const figures = createLogger('rpc-round-trips', 'info');
  let env: TestEnvironment;
  let service: INestApplication;
  let gateway: INestApplication;
  let rpc: ServiceRpc;
  let base: string;
  const tenantId = randomUUID();
  const userId = randomUUID();
  const headers = authHeader({ tenantId, userId, roles: ['admin'] });
  const ctxFor = (i: number): RequestContext => ({ tenantId, actor: { type: 'user', id: userId, name: 'Bench' }, roles: ['admin'], correlationId: `c-${i}` });

  beforeAll(async () => {
    env = await createTestEnvironment();
    probeTenants.add(tenantId);
    service = await startProbeService(env);
    gateway = await createGatewayApp(env.env('gateway', { RATE_LIMIT_PER_MINUTE: '10000000' }), { operations: PROBE_OPERATIONS });
    rpc = gateway.get(ServiceRpc);
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    await rpc.call(probeEcho, ctxFor(-1), { i: -1 });
  });

  afterAll(async () => {
    await gateway?.close();
    if (service) await closeApp(service);
    await env?.dispose();
  });

  const record = (what: string, n: number, ms: number) =>
    figures.info(
      { what, calls: n, ms: Math.round(ms), perSecond: Math.round((n * 1000) / ms), msPerCall: +(ms / n).toFixed(3) },
      `${what}: ${Math.round((n * 1000) / ms)}/s`,
    );

  it('answers 1000 sequential RPCs, each with its own body', async () => {
    const n = 1000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await rpc.call(probeEcho, ctxFor(i), { i });
      expect((r.body as EchoInput).i).toBe(i);
    }
    record('ServiceRpc sequential', n, performance.now() - started);
  });

  it('answers 2000 RPCs issued 100 at a time, none crossed', async () => {
    const n = 2000;
    const started = performance.now();
    for (let batch = 0; batch < n; batch += 100) {
      const replies = await Promise.all(Array.from({ length: 100 }, (_, k) => rpc.call(probeEcho, ctxFor(batch + k), { i: batch + k })));
      replies.forEach((r, k) => {
        expect((r.body as EchoInput).i).toBe(batch + k);
        expect(r.ctx.correlationId).toBe(`c-${batch + k}`);
      });
    }
    record('ServiceRpc concurrent(100)', n, performance.now() - started);
  });

  it('answers 500 sequential HTTP requests through auth, validation and RPC', async () => {
    const n = 500;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const res = await fetch(`${base}/v1/probe/widgets/${id}`, { headers });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { body: { id: string } }).body.id).toBe(id);
    }
    record('HTTP→RPC sequential', n, performance.now() - started);
  });

  it('answers 1000 HTTP requests issued 50 at a time', async () => {
    const n = 1000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < n) {
          next++;
          const id = randomUUID();
          const res = await fetch(`${base}/v1/probe/widgets/${id}`, { headers });
          expect(res.status).toBe(200);
          expect(((await res.json()) as { body: { id: string } }).body.id).toBe(id);
        }
      }),
    );
    record('HTTP→RPC concurrent(50)', n, performance.now() - started);
  });
});
