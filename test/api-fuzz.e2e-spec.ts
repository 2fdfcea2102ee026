import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { API_TAGS, OPERATIONS } from '@app/shared/api/operations';
import { buildOpenApiDocument } from '@app/shared/contract/openapi-document';
import { createLogger } from '@app/shared/logging/logger';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { DocumentedAnswers } from './support/documented-answers';
import { FuzzRequest, operationShapes, requestsFor, urlOf } from './support/fuzz/fuzz-requests';
import { SchemaArbitraries } from './support/fuzz/schema-arbitrary';
import { seedFuzzData } from './support/fuzz/seed';
import { startStack, Stack } from './support/stack';

/** Requests per operation (valid ones and mutations); FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** FUZZ_SEED replays a run: every failure report names the seed it came from. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 6;
const report = createLogger('api-fuzz', 'info');

interface Failure {
  request: string;
  why: string;
}

/**
 * Property-based fuzzing of every operation of the OpenAPI document against the whole stack: valid requests
 * drawn from the document's schemas (with ids of real rows mixed in) and mutations of them (wrong types,
 * missing and unknown fields, NUL, lone surrogates, RTL, emoji, 100 KB strings, deep nesting, huge arrays,
 * `__proto__` keys, out-of-range numbers, impossible dates, bad cursors and ids, malformed JSON, wrong content
 * types). Whatever comes in, the answer is below 500, every error is problem+json, and every answer is one
 * the document describes for that operation.
 */
describe('every operation under fuzzed input', () => {
  let env: TestEnvironment;
  let stack: Stack;
  const tenantId = randomUUID();
  const userId = randomUUID();
  const everyone = authHeader({ tenantId, userId, roles: ['admin', 'agent', 'technician', 'viewer', 'platform_admin'], name: 'Fuzz' });
  const knownIds: string[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env, { env: { gateway: { RATE_LIMIT_PER_MINUTE: '1000000', RPC_TIMEOUT_MS: '10000' } } });
    await stack.registerTenant(tenantId);
    knownIds.push(...(await seedFuzzData(stack.gatewayUrl, everyone)));
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('answers every request below 500, every error as problem+json, every answer as documented', async () => {
    const document = buildOpenApiDocument(OPERATIONS, { version: '0.0.0', tags: API_TAGS });
    const arbitraries = new SchemaArbitraries(document.components.schemas, () => knownIds);
    const answers = new DocumentedAnswers();
    const shapes = operationShapes(document);
    const work: Array<{ shape: (typeof shapes)[number]; request: FuzzRequest }> = [];
    shapes.forEach((shape, i) => {
      for (const request of fc.sample(requestsFor(shape, arbitraries, document.components.schemas), { seed: SEED + i, numRuns: RUNS }))
        work.push({ shape, request });
    });

    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    const validAnswers = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      for (let item = work[next++]; item; item = work[next++]) {
        const { shape, request } = item;
        const url = urlOf(stack.gatewayUrl, shape, request);
        const hasBody = request.rawBody !== undefined || request.body !== undefined;
        const abort = new AbortController();
        const res = await fetch(url, {
          method: request.method,
          headers: { ...everyone, ...(hasBody ? { 'content-type': request.contentType ?? 'application/json' } : {}) },
          body: request.rawBody ?? (request.body !== undefined ? JSON.stringify(request.body) : undefined),
          signal: abort.signal,
        });
        // An event stream (GET /stream) never ends: its head is the answer; the connection is dropped there.
        const streaming = res.headers.get('content-type')?.includes('text/event-stream') ?? false;
        if (streaming) abort.abort();
        const text = streaming ? '' : await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (request.mutation === 'valid') validAnswers.set(res.status, (validAnswers.get(res.status) ?? 0) + 1);
        const describe = `${request.operationId} [${request.mutation}] ${request.method} ${url.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
        if (res.status >= 500) {
          failures.push({ request: describe, why: 'answered ≥ 500' });
          continue;
        }
        let body: unknown = text;
        try {
          body = text && !streaming ? JSON.parse(text) : null;
        } catch {
          // not JSON: the check below says so
        }
        try {
          answers.check(request.method, new URL(url).pathname, res.status, res.headers.get('content-type'), body);
        } catch (e) {
          failures.push({ request: describe, why: (e as Error).message.slice(0, 500) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const byStatus = (m: Map<number, number>) => Object.fromEntries([...m].sort(([a], [b]) => a - b));
    const summary = {
      seed: SEED,
      operations: shapes.length,
      requests: work.length,
      byStatus: byStatus(statuses),
      validByStatus: byStatus(validAnswers),
      failures: failures.length,
    };
    report.info(summary, `API fuzz: ${JSON.stringify(summary)}`);
    if (failures.length)
      report.error(
        failures
          .slice(0, 40)
          .map((f) => `${f.why}\n    ${f.request}`)
          .join('\n'),
      );
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers problem+json before any operation runs: unknown route, 405, 413, 414, 415 and 431', async () => {
    const origin = stack.origin;
    const cases: Array<[string, RequestInit, number]> = [
      [`${origin}/v1/no-such-route`, { headers: everyone }, 404],
      [`${origin}/v1/contracts`, { method: 'DELETE', headers: everyone }, 405],
      [
        `${origin}/v1/tenants`,
        { method: 'POST', headers: { ...everyone, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2_000_000) }) },
        413,
      ],
      [`${origin}/v1/admin/dead-letters/${'a'.repeat(1000)}/replay`, { method: 'POST', headers: everyone }, 414],
      [`${origin}/v1/tenants`, { method: 'POST', headers: { ...everyone, 'content-type': 'application/xml' }, body: '<tenant/>' }, 415],
      [`${origin}/v1/event-catalog`, { headers: { ...everyone, 'x-big': 'b'.repeat(40_000) } }, 431],
    ];
    for (const [url, init, status] of cases) {
      const res = await fetch(url, init);
      expect({ url: url.slice(0, 80), status: res.status }).toEqual({ url: url.slice(0, 80), status });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status, code: expect.any(String), detail: expect.any(String) });
    }
  });
});
