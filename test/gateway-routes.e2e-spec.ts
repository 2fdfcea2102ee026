import { OpenApiDocument } from '@app/shared/testing/openapi-reading';
import type { CheckedJson } from './support/documented-answers';
import '@app/shared/messaging/testing/test-events.fixture';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startStack, Stack } from './support/stack';
import { RequestContext } from '@app/shared/context/request-context';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { authHeader } from '@app/shared/testing/tokens';
import { Outbox } from '@app/shared/messaging/outbox';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { serviceQueue } from '@app/shared/messaging/topology';

describe('messaging routes of the gateway', () => {
  let env: TestEnvironment;
  let stack: Stack;
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const admin = authHeader({ tenantId, userId: randomUUID(), roles: ['admin'] });
  const agent = authHeader({ tenantId, userId: randomUUID(), roles: ['agent'] });
  const otherAdmin = authHeader({ tenantId: otherTenantId, userId: randomUUID(), roles: ['admin'] });

  const get = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(`${stack.gatewayUrl}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as CheckedJson };
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    stack = await startStack(env);
    await stack.registerTenant(tenantId);
    await stack.registerTenant(otherTenantId);
  });

  afterAll(async () => {
    await stack?.close();
    await env?.dispose();
  });

  it('serves the catalog and one type with the JSON Schema of its payload', async () => {
    const list = await get('/event-catalog', agent);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'TENANT_CREATED', payloadSchemaRef: 'payload.TenantCreated.v1', producers: ['events'] })]),
    );
    const one = await get('/event-catalog/TENANT_CREATED', agent);
    expect(one.status).toBe(200);
    expect(one.body.payloadSchema).toMatchObject({
      $id: 'payload.TenantCreated.v1',
      type: 'object',
      properties: { tenantId: { type: 'string', format: 'uuid' } },
    });
    expect(one.body.payloadSchema.required).toEqual(expect.arrayContaining(['tenantId', 'occurredAt']));
    expect((await get('/event-catalog/NO_SUCH_EVENT', agent)).status).toBe(404);
    const bad = await get('/event-catalog/not-a-type', agent);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('type');
  });

  it('documents the event log and dead-letter query parameters in OpenAPI', async () => {
    const doc = (await (await fetch(`${stack.origin}/docs/openapi.json`)).json()) as OpenApiDocument;
    const names = (path: string) => doc.paths[path].get.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(names('/event-log')).toEqual(expect.arrayContaining(['correlationId', 'aggregateId', 'type', 'cursor', 'limit']));
    expect(names('/admin/dead-letters')).toEqual(expect.arrayContaining(['cursor', 'limit']));
  });

  it('merges the event log of every service, newest first, page by page, for the caller tenant only', async () => {
    const aggregateId = randomUUID();
    const ctx: RequestContext = { tenantId, actor: { type: 'user', id: randomUUID(), name: 'Asha Rao' }, roles: ['admin'], correlationId: randomUUID() };
    const appendIn = async (app: 'events' | 'tickets', n: number) => {
      const nest = stack.apps[app]!;
      await nest
        .get(DataSource)
        .transaction((tx) =>
          nest.get(Outbox).append(tx, ctx, [{ type: 'TEST_WIDGET_UNWATCHED', aggregateId, aggregateVersion: n, payload: { widgetId: aggregateId, n } }]),
        );
    };
    for (let n = 1; n <= 5; n++) await appendIn(n % 2 === 0 ? 'tickets' : 'events', n);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CheckedJson } = await get(`/event-log?aggregateId=${aggregateId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, admin);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: { aggregateVersion: unknown }) => e.aggregateVersion));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);

    const byCorrelation = await get(`/event-log?correlationId=${ctx.correlationId}`, admin);
    expect(byCorrelation.body.items.map((e: { source: unknown }) => e.source).sort()).toEqual(['events', 'events', 'events', 'tickets', 'tickets']);
    expect((await get(`/event-log?aggregateId=${aggregateId}`, otherAdmin)).body.items).toEqual([]);
    expect((await get('/event-log?limit=0', admin)).status).toBe(400);
    expect((await get('/event-log?cursor=nonsense', admin)).status).toBe(400);
  });

  it('shows the event log to admins only, every sensitive field of the catalog reading [sealed]', async () => {
    const widgetId = randomUUID();
    const ctx: RequestContext = { tenantId, actor: { type: 'user', id: randomUUID(), name: 'Asha Rao' }, roles: ['admin'], correlationId: randomUUID() };
    const payload = { widgetId, pin: '8040', holders: [{ name: 'Asha', token: 'tok-asha-1' }] };
    await stack.apps
      .events!.get(DataSource)
      .transaction((tx) => stack.apps.events!.get(Outbox).append(tx, ctx, [{ type: 'TEST_SECRET_ISSUED', aggregateId: widgetId, payload }]));

    expect((await get(`/event-log?aggregateId=${widgetId}`, agent)).status).toBe(403);
    const log = await get(`/event-log?aggregateId=${widgetId}`, admin);
    expect(log.status).toBe(200);
    expect(log.body.items[0].payload).toMatchObject({ widgetId, pin: '[sealed]', holders: [{ name: 'Asha', token: '[sealed]' }] });
    expect(JSON.stringify(log.body)).not.toMatch(/8040|tok-asha|\$sealed/);
    expect((await get('/event-catalog/TEST_SECRET_ISSUED', agent)).body.sensitiveFields).toEqual(['pin', 'holders.*.token']);
  });

  it('lists this tenant’s dead letters of every service to admins and replays one', async () => {
    const broken = testEnvelope('TEST_NOT_IN_CATALOG', { anything: true }, { tenantId });
    await publishRaw(env, [broken], serviceQueue(env.namespace, 'tickets'));
    const letter = await eventually(async () => {
      const res = await get('/admin/dead-letters', admin);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      return res.body.items[0];
    });
    expect(letter).toMatchObject({ service: 'tickets', messageId: broken.id, reason: 'unknown_type', replayedAt: null });
    expect((await get('/admin/dead-letters', agent)).status).toBe(403);
    expect((await get('/admin/dead-letters', otherAdmin)).body.items).toEqual([]);

    const replay = await fetch(`${stack.gatewayUrl}/admin/dead-letters/${letter.id}/replay`, { method: 'POST', headers: admin });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id: letter.id, replayedAt: expect.any(String) });
    // still not in the catalog: it comes back as a new dead letter, with its reason
    await eventually(async () => expect((await get('/admin/dead-letters', admin)).body.items).toHaveLength(2));

    const missing = await fetch(`${stack.gatewayUrl}/admin/dead-letters/${randomUUID()}/replay`, { method: 'POST', headers: admin });
    expect(missing.status).toBe(404);
    const foreign = await fetch(`${stack.gatewayUrl}/admin/dead-letters/${letter.id}/replay`, { method: 'POST', headers: otherAdmin });
    expect(foreign.status).toBe(404);
    const bad = await fetch(`${stack.gatewayUrl}/admin/dead-letters/not-a-uuid/replay`, { method: 'POST', headers: admin });
    expect(bad.status).toBe(400);
  });

  it('shows dead letters with the sensitive fields of their payload as [sealed], even when they arrived in clear', async () => {
    // Published around the outbox with the PIN in clear, and invalid (widgetId): it is parked as it came.
    const parked = testEnvelope('TEST_SECRET_ISSUED', { widgetId: 'not-a-uuid', pin: '5151', holders: [{ name: 'Ravi', token: 'tok-ravi-2' }] }, { tenantId });
    await publishRaw(env, [parked], serviceQueue(env.namespace, 'events'));
    const letter = await eventually(async () => {
      const res = await get('/admin/dead-letters?limit=200', admin);
      const found = res.body.items.find((d: { messageId: unknown }) => d.messageId === parked.id);
      expect(found).toBeDefined();
      return found;
    });
    expect(letter.reason).toBe('invalid_payload');
    expect(letter.envelope.payload).toMatchObject({ pin: '[sealed]', holders: [{ name: 'Ravi', token: '[sealed]' }] });
    expect(JSON.stringify(letter)).not.toMatch(/5151|tok-ravi/);
  });
});
