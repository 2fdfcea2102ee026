import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { randomUUID } from 'node:crypto';
import { startTracing, stopTracing } from '@app/shared/observability/tracing-setup';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { contractInput } from '../apps/events/test/support/contract-factory';
import { FakeProvider } from '../apps/jtd-dispatcher/test/support/fake-provider';
import { startStack, Stack } from './support/stack';

/**
 * One trace from a contract activation to the provider request: HTTP → RPC → outbox → broker → consumer →
 * JTD job → send → MSG91, with the W3C traceparent in the AMQP header and the provider request, recorded by
 * an in-memory exporter (the stack runs in this process).
 */
describe('traces across every hop', () => {
  const exporter = new InMemorySpanExporter();
  let env: TestEnvironment;
  let stack: Stack;
  let fake: FakeProvider;
  const tenantId = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
  const customer = { name: 'Meera Iyer', email: `meera.${randomUUID().slice(0, 8)}@example.com` };
  // The caller's own trace, continued by the gateway.
  const callerTrace = randomUUID().replace(/-/g, '');
  const traceparent = `00-${callerTrace}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;

  beforeAll(async () => {
    startTracing('test', {}, [new SimpleSpanProcessor({ exporter })]);
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    stack = await startStack(env, {
      services: ['events', 'jtd-dispatcher'],
      env: { 'jtd-dispatcher': { ...fake.env(), JTD_POLL_INTERVAL_MS: '200' } },
    });
    await stack.registerTenant(tenantId);
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.stop();
    await env?.dispose();
    await stopTracing();
  });

  it('follows a contract activation to the contract_created email at the provider', async () => {
    const draft = await stack.http('POST', '/contracts', admin, contractInput({ customer }));
    expect(draft.status).toBe(201);
    const contractId = draft.body.id as string;
    const res = await fetch(`${stack.gatewayUrl}/contracts/${contractId}/activate`, { method: 'POST', headers: { ...admin, traceparent } });
    expect(res.status).toBe(200);

    const request = await eventually(() => {
      const [sent] = fake.of('email').filter((r) => r.rawBody.includes(customer.email) && r.body.template_id === 'contract_created_email_v1');
      expect(sent).toBeDefined();
      return sent;
    });
    expect(request.problems).toEqual([]);
    // The provider got the trace in its request.
    expect(String(request.headers.traceparent)).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));

    const spans = await eventually(() => {
      const mine = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTrace);
      expect(mine.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^POST fake|^POST 127\.0\.0\.1/)]));
      return mine;
    });
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => (s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined);
    const chain = (s: ReadableSpan | undefined): string[] => (s ? [...chain(parentOf(s)), `${SpanKind[s.kind]} ${s.name}`] : []);
    const provider = spans.find((s) => s.kind === SpanKind.CLIENT && s.name.startsWith('POST '))!;
    expect(String(request.headers.traceparent).split('-')[2]).toBe(provider.spanContext().spanId);
    expect(chain(provider)).toEqual([
      'SERVER POST /v1/contracts/{id}/activate',
      'SERVER rpc activateContract',
      'PRODUCER publish CONTRACT_ACTIVATED',
      'CONSUMER process CONTRACT_ACTIVATED',
      'INTERNAL send email',
      `CLIENT ${provider.name}`,
    ]);
    // The first hop continues the caller's trace.
    expect(spans.find((s) => s.name === 'POST /v1/contracts/{id}/activate')!.parentSpanContext?.spanId).toBe(traceparent.split('-')[2]);
  });
});
