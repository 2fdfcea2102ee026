import { OpenApiDocument } from '@app/shared/testing/openapi-reading';
import { ProblemDetails } from '../src/http/problem-details';
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeApp } from '@app/shared/app/create-service-app';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader, tokenFor } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';
import { MAX_PARAM_LENGTH } from '../src/http/edge-errors';
import { PROBE_OPERATIONS, probeLog, probeTenants, startProbeService } from './support/probe-service';

const tenantId = randomUUID();
const userId = randomUUID();
const agent = () => authHeader({ tenantId, userId, roles: ['agent'], name: 'Asha Agent' });
const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

describe('gateway edge (real RabbitMQ, probe service on the events queue)', () => {
  let env: TestEnvironment;
  let service: INestApplication | undefined;
  let gateway: INestApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    probeTenants.add(tenantId);
    service = await startProbeService(env, { RPC_PREFETCH: '1' });
    gateway = await createGatewayApp(env.env('gateway', { RPC_TIMEOUT_MS: '600', BODY_LIMIT_BYTES: '2048' }), { operations: PROBE_OPERATIONS });
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    if (service) await closeApp(service);
    await env?.dispose();
  });

  const expectProblem = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as ProblemDetails;
    expect(body).toMatchObject({ status, code, type: expect.stringContaining('/problems/'), title: expect.any(String), detail: expect.any(String) });
    return body;
  };

  describe('authentication and roles', () => {
    it('answers 401 problem+json without a token', async () => {
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`), 401, 'UNAUTHENTICATED');
    });

    it('answers 401 to a token signed with another secret', async () => {
      const forged = tokenFor({ tenantId, userId, roles: ['admin'], secret: 'someone-elses-secret-0123456789' });
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { authorization: `Bearer ${forged}` } }), 401, 'UNAUTHENTICATED');
    });

    it('answers 401 to an expired token and says so', async () => {
      const expired = tokenFor({ tenantId, userId, roles: ['admin'], ttlSeconds: -60 });
      const body = await expectProblem(
        await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { authorization: `Bearer ${expired}` } }),
        401,
        'UNAUTHENTICATED',
      );
      expect(body.detail).toMatch(/expired/);
    });

    it('answers 401 to a token whose tenantId is not a uuid', async () => {
      const bad = tokenFor({ tenantId: 'acme', userId, roles: ['admin'] });
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { authorization: `Bearer ${bad}` } }), 401, 'UNAUTHENTICATED');
    });

    it('answers 401 to an unsigned (alg none) token', async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, tenantId, roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 60 })}.`;
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { authorization: `Bearer ${none}` } }), 401, 'UNAUTHENTICATED');
    });

    it('answers 403 when the caller has none of the route’s roles', async () => {
      const viewer = authHeader({ tenantId, userId, roles: ['viewer'] });
      await expectProblem(
        await fetch(`${base}/v1/probe/widgets`, { method: 'POST', headers: json(viewer), body: JSON.stringify({ title: 'x', quantity: 1 }) }),
        403,
        'FORBIDDEN',
      );
    });

    it('passes tenant, actor, roles and the request id to the service as the RPC context', async () => {
      const id = randomUUID();
      const res = await fetch(`${base}/v1/probe/widgets/${id}`, { headers: { ...agent(), 'x-request-id': 'flow-42' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('flow-42');
      const body = (await res.json()) as { body: unknown; ctx: unknown };
      expect(body.body).toEqual({ id });
      expect(body.ctx).toEqual({ tenantId, actor: { type: 'user', id: userId, name: 'Asha Agent' }, roles: ['agent'], correlationId: 'flow-42' });
    });
  });

  describe('validation', () => {
    it('refuses an unknown field with 400 naming it', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: json(agent()),
        body: JSON.stringify({ title: 'Pump', quantity: 2, colour: 'red' }),
      });
      const body = await expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(body.errors).toEqual({ colour: [expect.stringContaining('colour')] });
    });

    it('refuses a wrong type with 400 naming the field, nested fields by their path', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: json(agent()),
        body: JSON.stringify({ title: 'Pump', quantity: 'two', customer: { name: 7 } }),
      });
      const body = await expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Object.keys(body.errors ?? {}).sort()).toEqual(['customer.name', 'quantity']);
    });

    it('refuses a malformed path parameter with 400, never 500', async () => {
      await expectProblem(await fetch(`${base}/v1/probe/widgets/not-a-uuid`, { headers: agent() }), 400, 'VALIDATION_FAILED');
    });

    it('forwards a valid body, converted to the declared types', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: json(agent()),
        body: JSON.stringify({ title: 'Pump', quantity: 2, customer: { name: 'Acme' } }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { body: unknown }).body).toEqual({ title: 'Pump', quantity: 2, customer: { name: 'Acme' } });
    });
  });

  describe('input that would reach the database unchecked is refused, naming the field', () => {
    const postRaw = (raw: string) => fetch(`${base}/v1/probe/widgets`, { method: 'POST', headers: json(agent()), body: raw });

    it.each([
      ['a NUL byte', '{"title":"a\\u0000b","quantity":1}', 'title'],
      ['a lone surrogate', '{"title":"a\\ud800b","quantity":1}', 'title'],
      ['a NUL byte in a nested field', '{"title":"a","quantity":1,"customer":{"name":"\\u0000"}}', 'customer.name'],
      ['a number past the column', '{"title":"a","quantity":1e308}', 'quantity'],
      ['2^31', '{"title":"a","quantity":2147483648}', 'quantity'],
    ])('refuses %s with 400', async (_what, raw, field) => {
      const body = await expectProblem(await postRaw(raw), 400, 'VALIDATION_FAILED');
      expect(Object.keys(body.errors ?? {})).toContain(field);
    });

    it('refuses a NUL byte in a query parameter', async () => {
      const body = await expectProblem(await fetch(`${base}/v1/probe/fail?code=%00`, { headers: agent() }), 400, 'VALIDATION_FAILED');
      expect(Object.keys(body.errors ?? {})).toEqual(['code']);
    });

    it('refuses __proto__ keys and hostile nesting', async () => {
      await expectProblem(await postRaw('{"title":"a","quantity":1,"__proto__":{"admin":true}}'), 400, 'VALIDATION_FAILED');
      const deep = '{"title":"a","quantity":1,"customer":' + '{"name":'.repeat(100) + '"x"' + '}'.repeat(101);
      await expectProblem(await postRaw(deep), 400, 'VALIDATION_FAILED');
    });

    it('refuses a body that is not an object, a body key naming a path parameter and a query key on a body operation', async () => {
      await expectProblem(await postRaw('[{"title":"a","quantity":1}]'), 400, 'VALIDATION_FAILED');
      const q = await expectProblem(
        await fetch(`${base}/v1/probe/widgets?title=x`, { method: 'POST', headers: json(agent()), body: JSON.stringify({ title: 'a', quantity: 1 }) }),
        400,
        'VALIDATION_FAILED',
      );
      expect(Object.keys(q.errors ?? {})).toEqual(['title']);
    });

    it('refuses a token whose roles are all unknown with 403 on every operation', async () => {
      const customer = authHeader({ tenantId, userId, roles: ['customer' as never] });
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: customer }), 403, 'FORBIDDEN');
      await expectProblem(await fetch(`${base}/v1/system/status`, { headers: customer }), 403, 'FORBIDDEN');
      await expectProblem(await fetch(`${base}/v1/event-catalog`, { headers: customer }), 403, 'FORBIDDEN');
    });
  });

  describe('problem+json for errors Fastify raises before any handler', () => {
    it('answers 400 to a body that is not JSON', async () => {
      await expectProblem(await fetch(`${base}/v1/probe/widgets`, { method: 'POST', headers: json(agent()), body: '{"title": ' }), 400, 'VALIDATION_FAILED');
    });

    it('answers 413 to a body over the limit', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, {
        method: 'POST',
        headers: json(agent()),
        body: JSON.stringify({ title: 'x'.repeat(5000), quantity: 1 }),
      });
      await expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 415 to a content type it does not read', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, { method: 'POST', headers: { ...agent(), 'content-type': 'application/xml' }, body: '<a/>' });
      await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 405 with Allow to a method the path does not take', async () => {
      const res = await fetch(`${base}/v1/probe/widgets`, { method: 'DELETE', headers: agent() });
      await expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toBe('POST');
    });

    it('answers 414 to a path parameter longer than any id, and not to one within MAX_PARAM_LENGTH', async () => {
      await expectProblem(await fetch(`${base}/v1/probe/widgets/${'a'.repeat(MAX_PARAM_LENGTH + 1)}`, { headers: agent() }), 414, 'VALIDATION_FAILED');
      // over fastify's default (100): the router takes our limit
      expect((await fetch(`${base}/v1/probe/widgets/${'a'.repeat(MAX_PARAM_LENGTH)}`, { headers: agent() })).status).not.toBe(414);
    });

    it('answers 431 to headers over the limit, as problem+json', async () => {
      await expectProblem(
        await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: { ...agent(), 'x-padding': 'p'.repeat(20_000) } }),
        431,
        'VALIDATION_FAILED',
      );
    });

    it('answers 404 to an unknown route, with the request id', async () => {
      const res = await fetch(`${base}/v1/no-such-thing`, { headers: { 'x-request-id': 'lost-1' } });
      const body = await expectProblem(res, 404, 'NOT_FOUND');
      expect(res.headers.get('x-request-id')).toBe('lost-1');
      expect(body.requestId).toBe('lost-1');
    });
  });

  describe('service answers mapped to HTTP', () => {
    it.each([
      ['NOT_FOUND', 404],
      ['TRANSITION_NOT_ALLOWED', 422],
      ['IDEMPOTENCY_KEY_REUSED', 422],
    ])('maps the domain error %s to %i', async (code, status) => {
      await expectProblem(await fetch(`${base}/v1/probe/fail?code=${code}`, { headers: agent() }), status, code);
    });

    it('maps a stale version to 409 and keeps the versions as details', async () => {
      const body = await expectProblem(await fetch(`${base}/v1/probe/fail?code=VERSION_CONFLICT`, { headers: agent() }), 409, 'VERSION_CONFLICT');
      expect(body.details).toEqual({ expectedVersion: 3, currentVersion: 5 });
    });

    it('answers an unexpected service failure with 500, the service’s errorId and none of its internals', async () => {
      const res = await fetch(`${base}/v1/probe/fail?code=BOOM`, { headers: agent() });
      const text = await res.clone().text();
      const body = await expectProblem(res, 500, 'INTERNAL');
      expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(text).not.toMatch(/hunter2|10\.0\.0\.7|stack|Error:/);
    });

    it('answers 500 with an errorId when the service has no handler for the pattern', async () => {
      const body = await expectProblem(await fetch(`${base}/v1/probe/unrouted`, { headers: agent() }), 500, 'INTERNAL');
      expect(body.errorId).toBeDefined();
    });

    it('answers 503 at once when no instance of the service consumes its queue', async () => {
      const started = Date.now();
      const body = await expectProblem(await fetch(`${base}/v1/probe/tickets`, { headers: agent() }), 503, 'SERVICE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(600);
      expect(body.errorId).toBeDefined();
    });

    it('answers 504 when the service is too slow, and the queued command expires instead of running late', async () => {
      probeLog.calls.length = 0;
      // RPC_PREFETCH=1: the second call waits behind the slow first one and expires with the timeout.
      const [slow, queued] = await Promise.all([
        fetch(`${base}/v1/probe/slow?ms=1500`, { headers: agent() }),
        new Promise((r) => setTimeout(r, 50)).then(() => fetch(`${base}/v1/probe/slow?ms=1`, { headers: agent() })),
      ]);
      await expectProblem(slow, 504, 'SERVICE_TIMEOUT');
      await expectProblem(queued, 504, 'SERVICE_TIMEOUT');
      // Once the slow call finishes the service is free again and proves it by answering a fresh call.
      await eventually(async () => {
        const res = await fetch(`${base}/v1/probe/slow?ms=1`, { headers: agent() });
        expect(res.status).toBe(200);
      });
      expect(probeLog.calls.filter((c) => c.op === 'probeSlow').map((c) => (c.body as { ms: number }).ms)).toEqual([1500, 1]);
    });
  });

  describe('Idempotency-Key on POST', () => {
    const post = (key: string, body: object, headers = agent()) =>
      fetch(`${base}/v1/probe/widgets`, { method: 'POST', headers: { ...json(headers), 'idempotency-key': key }, body: JSON.stringify(body) });
    const echoes = () => probeLog.calls.filter((c) => c.op === 'probeCreateWidget').length;

    it('returns the first response to a repeat with the same key and body, without calling the service again', async () => {
      const key = randomUUID();
      const before = echoes();
      const first = await post(key, { title: 'Pump', quantity: 1 });
      expect(first.status).toBe(201);
      const firstBody: unknown = await first.json();
      // Same body with its keys in another order is the same request.
      const again = await post(key, { quantity: 1, title: 'Pump' });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(firstBody);
      expect(echoes()).toBe(before + 1);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body', async () => {
      const key = randomUUID();
      expect((await post(key, { title: 'Pump', quantity: 1 })).status).toBe(201);
      await expectProblem(await post(key, { title: 'Pump', quantity: 2 }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('keeps keys per tenant', async () => {
      const key = randomUUID();
      const otherTenant = randomUUID();
      probeTenants.add(otherTenant);
      const other = authHeader({ tenantId: otherTenant, userId, roles: ['agent'] });
      expect((await post(key, { title: 'Pump', quantity: 1 })).status).toBe(201);
      const res = await post(key, { title: 'Valve', quantity: 3 }, other);
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
    });

    it('forgets a request that failed, so the corrected request may reuse the key', async () => {
      const key = randomUUID();
      await expectProblem(await post(key, { title: 'Pump', quantity: 0 }), 400, 'VALIDATION_FAILED');
      expect((await post(key, { title: 'Pump', quantity: 1 })).status).toBe(201);
    });

    it('runs concurrent requests with one key once', async () => {
      const key = randomUUID();
      const before = echoes();
      const results = await Promise.all(Array.from({ length: 5 }, () => post(key, { title: 'Pump', quantity: 1 })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses).toContain(201);
      expect(echoes()).toBe(before + 1);
    });

    it('refuses a malformed key with 400 naming the header', async () => {
      const body = await expectProblem(await post('x'.repeat(300), { title: 'Pump', quantity: 1 }), 400, 'VALIDATION_FAILED');
      expect(Object.keys(body.errors ?? {})).toEqual(['Idempotency-Key']);
    });
  });

  describe('edge plumbing', () => {
    it('serves the OpenAPI document at /docs/openapi.json with bearer auth and problem responses', async () => {
      const res = await fetch(`${base}/docs/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as OpenApiDocument;
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.servers).toEqual([expect.objectContaining({ url: '/v1' })]);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/system/status', '/probe/widgets', '/probe/widgets/{id}']));
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.paths['/probe/widgets'].post.responses['400'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
      expect(Object.keys(doc.paths).some((p) => p.startsWith('/health') || p === '/metrics')).toBe(false);
    });

    it('documents request bodies from their validation rules and Idempotency-Key where it is honoured', async () => {
      const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as OpenApiDocument;
      const body = doc.paths['/probe/widgets'].post.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(expect.arrayContaining(['title', 'quantity']));
      expect(body.properties.quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
      expect(body.properties.customer.$ref).toBe('#/components/schemas/ProbeCustomer');
      expect(doc.components.schemas.ProbeCustomer.properties.name).toMatchObject({ type: 'string' });
      expect(doc.paths['/probe/widgets'].post.parameters).toEqual(expect.arrayContaining([{ $ref: '#/components/parameters/IdempotencyKey' }]));
      expect(doc.paths['/probe/widgets/{id}'].get.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]),
      );
      expect(doc.paths['/probe/slow'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ms', in: 'query', required: true })]));
    });

    it('serves the Swagger UI at /docs', async () => {
      const page = await fetch(`${base}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui');
      expect((await fetch(`${base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    });

    it('sets security headers', async () => {
      const res = await fetch(`${base}/health/live`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeTruthy();
      expect(res.headers.get('x-frame-options')).toBeTruthy();
    });

    it('keeps health and metrics outside /v1 and open to probes', async () => {
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, { status: string }> }).checks.broker.status).toBe('up');
      expect((await fetch(`${base}/v1/health/live`)).status).toBe(404);
    });

    it('counts requests by route template and status in /metrics', async () => {
      await fetch(`${base}/v1/probe/widgets/${randomUUID()}`, { headers: agent() });
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/http_requests_total\{[^}]*route="\/v1\/probe\/widgets\/:id"[^}]*status="200"[^}]*\} \d+/);
      expect(text).toContain('http_request_duration_seconds_bucket');
      expect(text).toMatch(/gateway_rpc_duration_seconds_count\{[^}]*pattern="events.probeGetWidget"/);
    });
  });
});
