import { OpenApiDocument } from '@app/shared/testing/openapi-reading';
import { ProblemDetails } from '../src/http/problem-details';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { closeApp } from '@app/shared/app/create-service-app';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader, tokenFor } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';
import { GatewayDatabase } from '../src/idempotency/gateway-database';
import { PROBE_OPERATIONS, probeLog, probeTenants, startProbeService } from './support/probe-service';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const WEBHOOK_SECRET = 'whsec-do-not-log-me-4f1c9a';

/**
 * What the gateway refuses or keeps to itself: tenants nobody registered, tokens that live too long, other
 * callers' idempotent answers, secrets in URLs, metrics without their token.
 */
describe('gateway security (real RabbitMQ, probe service on the events queue)', () => {
  const tenantId = randomUUID();
  const stranger = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'], name: 'Asha Admin' });
  const agent = authHeader({ tenantId, userId: randomUUID(), roles: ['agent'], name: 'Arun Agent' });
  const logLines: string[] = [];
  let env: TestEnvironment;
  let service: INestApplication;
  let gateway: INestApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    probeTenants.add(tenantId);
    service = await startProbeService(env, { METRICS_TOKEN });
    gateway = await createGatewayApp(env.env('gateway', { LOG_LEVEL: 'info', METRICS_TOKEN }), {
      operations: PROBE_OPERATIONS,
      logDestination: { write: (line: string) => void logLines.push(line) },
    });
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    if (service) await closeApp(service);
    await env?.dispose();
  });

  /** The uploads the gateway keeps in the file store it shares with the services. */
  const uploadsOf = (tenant: string) => readdir(join(env.env('gateway').EVIDENCE_STORAGE_DIR, tenant, 'uploads')).catch(() => [] as string[]);

  const problemOf = async (res: Response, status: number, code: string) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as ProblemDetails;
    expect({ status: res.status, code: body.code }).toEqual({ status, code });
    return body;
  };

  describe('tenants', () => {
    it('serves a registered tenant and refuses one nobody registered with 403 TENANT_UNKNOWN, before any service runs', async () => {
      expect((await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: admin })).status).toBe(200);
      const before = probeLog.calls.filter((c) => c.op === 'probeGetWidget').length;
      const outsider = authHeader({ tenantId: stranger, userId: randomUUID(), roles: ['admin'] });
      const body = await problemOf(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: outsider }), 403, 'TENANT_UNKNOWN');
      expect(body.detail).toContain(stranger);
      const created = await fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: { ...outsider, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x', quantity: 1 }),
      });
      await problemOf(created, 403, 'TENANT_UNKNOWN');
      expect(probeLog.calls.filter((c) => c.op === 'probeGetWidget').length).toBe(before);
    });

    it('serves platform routes (event catalog, system status) whatever the tenant', async () => {
      const outsider = authHeader({ tenantId: stranger, userId: randomUUID(), roles: ['admin'] });
      expect((await fetch(`${base}/v1/event-catalog`, { headers: outsider })).status).toBe(200);
      expect((await fetch(`${base}/v1/system/status`, { headers: outsider })).status).toBe(200);
    });

    it('answers a webhook naming an unknown tenant like a wrong secret (401), revealing no tenant', async () => {
      const res = await fetch(`${base}/v1/webhooks/msg91/sms?tenant=${stranger}&token=${WEBHOOK_SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: 'r-1', status: '1' }),
      });
      await problemOf(res, 401, 'UNAUTHENTICATED');
    });

    it('documents 403 TENANT_UNKNOWN on tenant routes and not on platform routes', async () => {
      const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as OpenApiDocument;
      expect(doc.paths['/probe/widgets/{id}'].get.responses['403'].description).toContain('TENANT_UNKNOWN');
      expect(doc.paths['/webhooks/msg91/{channel}'].post.responses['403']).toBeUndefined();
      expect(doc.paths['/event-catalog'].get.responses['403'].description).not.toContain('TENANT_UNKNOWN');
      expect(doc.paths['/tenants'].post.responses['403'].description).not.toContain('TENANT_UNKNOWN');
    });
  });

  describe('tokens', () => {
    it('refuses a token that expires in 2100 with 401 saying it lives too long', async () => {
      const forever = tokenFor({ tenantId, userId: randomUUID(), roles: ['admin'], ttlSeconds: Math.floor(Date.UTC(2100, 0, 1) / 1000 - Date.now() / 1000) });
      const body = await problemOf(
        await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { authorization: `Bearer ${forever}` } }),
        401,
        'UNAUTHENTICATED',
      );
      expect(body.detail).toMatch(/lives longer/);
    });
  });

  describe('Idempotency-Key', () => {
    const postAs = (headers: Record<string, string>, key: string, body: object) =>
      fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });

    it('keeps keys per caller: another user of the tenant sending the same key gets an answer of its own', async () => {
      const key = `key-${randomUUID()}`;
      const first = await postAs(admin, key, { title: 'Pump', quantity: 1 });
      expect(first.status).toBe(201);
      const theirs = await postAs(agent, key, { title: 'Valve', quantity: 2 });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(((await theirs.json()) as { body: unknown }).body).toEqual({ title: 'Valve', quantity: 2 });
      const again = await postAs(admin, key, { title: 'Pump', quantity: 1 });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it('replays an answer stored before keys had an owner to nobody', async () => {
      const key = `old-${randomUUID()}`;
      // A row as the previous schema left it: no caller (the migration gave it the empty one).
      await gateway.get(GatewayDatabase).query(
        `INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_fingerprint, method, path, state, response_status, response_body)
         VALUES ($1, $2, 'old', 'POST', '/v1/probe/widgets', 'completed', 201, '{"someone":"else"}')`,
        [tenantId, key],
      );
      const res = await postAs(admin, key, { title: 'Pump', quantity: 1 });
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect(((await res.json()) as { body: unknown }).body).toEqual({ title: 'Pump', quantity: 1 });
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another file, and replays the same file', async () => {
      const upload = (key: string, content: string) => {
        const form = new FormData();
        form.append('title', 'Photo');
        form.append('file', new Blob([content], { type: 'text/plain' }), 'note.txt');
        return fetch(`${base}/v1/probe/uploads`, { method: 'POST', headers: { ...admin, 'idempotency-key': key }, body: form });
      };
      const key = `upload-${randomUUID()}`;
      const before = (await uploadsOf(tenantId)).length;
      expect((await upload(key, 'first file')).status).toBe(201);
      await problemOf(await upload(key, 'second file'), 422, 'IDEMPOTENCY_KEY_REUSED');
      const same = await upload(key, 'first file');
      expect(same.status).toBe(201);
      expect(same.headers.get('idempotent-replayed')).toBe('true');
      // Only the first request's copy stays: the refused one and the replay stored theirs for nothing.
      expect((await uploadsOf(tenantId)).length).toBe(before + 1);
    });

    it('hands the service a reference to the stored file, never its bytes, and keeps no file of a refused request', async () => {
      const send = (headers: Record<string, string>, title: string, query = '') => {
        const form = new FormData();
        form.append('title', title);
        form.append('file', new Blob(['some bytes'], { type: 'text/plain' }), 'note.txt');
        return fetch(`${base}/v1/probe/uploads${query}`, { method: 'POST', headers, body: form });
      };
      const before = (await uploadsOf(tenantId)).length;
      expect((await send(admin, 'Photo')).status).toBe(201);
      const { body } = probeLog.calls.filter((c) => c.op === 'probeUpload').at(-1)!;
      expect((body as { file: unknown }).file).toEqual({
        storageKey: expect.stringMatching(new RegExp(`^${tenantId}/uploads/`)),
        fileName: 'note.txt',
        contentType: 'text/plain',
        size: 10,
        sha256: expect.any(String),
      });
      expect(await uploadsOf(tenantId)).toHaveLength(before + 1);
      await problemOf(await send(admin, ''), 400, 'VALIDATION_FAILED');
      await problemOf(await send(admin, 'Photo', '?title=again'), 400, 'VALIDATION_FAILED');
      await problemOf(await send(authHeader({ tenantId: stranger, userId: randomUUID(), roles: ['admin'] }), 'Photo'), 403, 'TENANT_UNKNOWN');
      expect(await uploadsOf(tenantId)).toHaveLength(before + 1);
      expect(await uploadsOf(stranger)).toEqual([]);
    });
  });

  describe('secrets in URLs', () => {
    it('writes a webhook’s token into no log line and no problem answer', async () => {
      logLines.length = 0;
      // The tenant is registered; no jtd-dispatcher runs here, so the answer is a 503 problem.
      const webhook = await fetch(`${base}/v1/webhooks/msg91/sms?tenant=${tenantId}&token=${WEBHOOK_SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'webhook-1' },
        body: JSON.stringify({ requestId: 'r-1', status: '1' }),
      });
      const problem = await problemOf(webhook, 503, 'SERVICE_UNAVAILABLE');
      expect(problem.instance).toBe(`/v1/webhooks/msg91/sms?tenant=${tenantId}&token=[redacted]`);
      const lost = await fetch(`${base}/v1/webhooks/msg91/no-such/route?token=${WEBHOOK_SECRET}`, { method: 'POST' });
      const badUrl = await fetch(`${base}/v1/probe/widgets/%E0%A4%A?token=${WEBHOOK_SECRET}`, { headers: admin });
      for (const res of [lost, badUrl]) expect(await res.text()).not.toContain(WEBHOOK_SECRET);

      // The access line is written once the answer has gone out.
      await eventually(() => expect(logLines.some((l) => l.includes('"correlationId":"webhook-1"') && l.includes('"url"'))).toBe(true));
      const logged = logLines.join('');
      expect(logged).toContain('token=[redacted]');
      expect(logged).not.toContain(WEBHOOK_SECRET);
    });
  });

  describe('metrics', () => {
    it('answers /metrics with 401 problem+json without METRICS_TOKEN, and with the metrics given it; health stays open', async () => {
      for (const origin of [base, (await service.getUrl()).replace('[::1]', '127.0.0.1')]) {
        await problemOf(await fetch(`${origin}/metrics`), 401, 'UNAUTHENTICATED');
        await problemOf(await fetch(`${origin}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token-000' } }), 401, 'UNAUTHENTICATED');
        const scraped = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(scraped.status).toBe(200);
        expect(await scraped.text()).toContain('process_cpu_seconds_total');
        expect((await fetch(`${origin}/health/live`)).status).toBe(200);
      }
    });
  });
});
