import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeApp } from '@app/shared/app/create-service-app';
import { Role } from '@app/shared/context/request-context';
import { publishRaw, testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { tokenFor } from '@app/shared/testing/tokens';
import { createGatewayApp } from '../src/gateway.app';
import { decodePosition, encodePosition } from '../src/stream/stream-position';
import { PROBE_OPERATIONS, probeTenants, startProbeService } from './support/probe-service';
import { SseStream } from './support/sse-client';

const originOf = async (app: INestApplication) => (await app.getUrl()).replace('[::1]', '127.0.0.1');
const HEARTBEAT_MS = 400;

/**
 * GET /v1/stream against real RabbitMQ: two gateway replicas (each with its own stream queue on the domain
 * exchange), changes published on the exchange as the services' relays would, the probe service as the
 * tenant registry. What a client sees: coalescing, order, tenants and users kept apart, heartbeats, resume
 * and reset, a replica stopping under open streams, and refusals before the stream starts.
 */
describe('the realtime stream (two gateway replicas, real RabbitMQ)', () => {
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const ravi = randomUUID();
  const asha = randomUUID();
  const logLines: string[] = [];
  let env: TestEnvironment;
  let service: INestApplication;
  let replicaA: INestApplication;
  let replicaB: INestApplication;
  let originA: string;
  let originB: string;
  const streams: SseStream[] = [];

  const token = (over: { tenantId?: string; userId?: string; roles?: Role[]; ttlSeconds?: number } = {}) =>
    tokenFor({ tenantId: over.tenantId ?? tenantA, userId: over.userId ?? asha, roles: over.roles ?? ['agent'], name: 'Test', ttlSeconds: over.ttlSeconds });
  const open = async (origin: string, opts: { query?: string; headers?: Record<string, string>; token?: string | null } = {}) => {
    const auth: Record<string, string> = opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? token()}` };
    const s = await SseStream.open(`${origin}/v1/stream${opts.query ? `?${opts.query}` : ''}`, { ...auth, ...opts.headers });
    streams.push(s);
    return s;
  };
  const ticketChange = (ticketId: string, status: string, tenantId = tenantA, type = 'SERVICE_TICKET_STATUS_CHANGED') =>
    testEnvelope(
      type,
      {
        ticketId,
        ticketNumber: 'TKT-2027-00001',
        contractId: randomUUID(),
        eventIds: [],
        previousStatus: 'created',
        newStatus: status,
        changedAt: new Date().toISOString(),
      },
      { tenantId, aggregateId: ticketId },
    );
  const inboxItem = (userId: string, title: string, tenantId = tenantA) =>
    testEnvelope(
      'INAPP_NOTIFICATION_CREATED',
      { notificationId: randomUUID(), userId, title, body: 'secret body', jtdId: randomUUID() },
      { tenantId, source: 'jtd-dispatcher' },
    );
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    env = await createTestEnvironment();
    probeTenants.add(tenantA);
    probeTenants.add(tenantB);
    service = await startProbeService(env);
    const gatewayEnv = env.env('gateway', { STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS), LOG_LEVEL: 'info' });
    const logDestination = { write: (line: string) => void logLines.push(line) };
    [replicaA, replicaB] = await Promise.all([
      createGatewayApp(gatewayEnv, { operations: PROBE_OPERATIONS, logDestination }),
      createGatewayApp(gatewayEnv, { operations: PROBE_OPERATIONS, logDestination }),
    ]);
    [originA, originB] = await Promise.all([originOf(replicaA), originOf(replicaB)]);
    // Both replicas' queues are bound once a change published now reaches a stream on each.
    await eventually(
      async () => {
        const [a, b] = await Promise.all([open(originA), open(originB)]);
        await publishRaw(env, [ticketChange(randomUUID(), 'created')]);
        await sleep(400);
        a.close();
        b.close();
        if (!a.changes('ticket').length || !b.changes('ticket').length) throw new Error('a replica’s stream queue is not bound yet');
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  }, 60_000);

  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });

  afterAll(async () => {
    for (const g of [replicaA, replicaB]) if (g) await closeApp(g).catch(() => undefined);
    if (service) await closeApp(service);
    await env?.dispose();
  });

  describe('refusals before the stream starts, as problem+json', () => {
    const refused = async (s: SseStream, status: number, code: string) => {
      expect({ status: s.status, type: s.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
      expect(await s.problem()).toMatchObject({ status, code });
    };

    it('401 without a token, with a bad one, and with an expired one', async () => {
      await refused(await open(originA, { token: null }), 401, 'UNAUTHENTICATED');
      await refused(await open(originA, { token: 'not.a.jwt' }), 401, 'UNAUTHENTICATED');
      await refused(await open(originA, { token: token({ ttlSeconds: -60 }) }), 401, 'UNAUTHENTICATED');
      const expired = token({ ttlSeconds: -60 });
      const inQuery = await open(originA, { token: null, query: `access_token=${expired}` });
      await refused(inQuery, 401, 'UNAUTHENTICATED');
      expect((await inQuery.problem()).instance).toBe('/v1/stream?access_token=[redacted]');
    });

    it('403 for a role outside the tenant, an unregistered tenant, and a topic the caller may not read', async () => {
      await refused(await open(originA, { token: token({ roles: ['platform_admin'] }) }), 403, 'FORBIDDEN');
      await refused(await open(originA, { token: token({ tenantId: randomUUID() }) }), 403, 'TENANT_UNKNOWN');
      const technician = token({ roles: ['technician'] });
      const jobs = await open(originA, { token: technician, query: 'topics=tickets,jobs' });
      await refused(jobs, 403, 'FORBIDDEN');
      expect((await jobs.problem()).detail).toContain('jobs');
      expect((await open(originA, { token: technician, query: 'topics=tickets,inbox' })).status).toBe(200);
    });

    it('400 for an unknown topic or query parameter', async () => {
      await refused(await open(originA, { query: 'topics=tickets,secrets' }), 400, 'VALIDATION_FAILED');
      await refused(await open(originA, { query: 'since=yesterday' }), 400, 'VALIDATION_FAILED');
    });
  });

  it('accepts the token as ?access_token= (EventSource) and keeps it out of every log line', async () => {
    const secret = token({ ttlSeconds: 2 });
    const s = await open(originA, { token: null, query: `access_token=${secret}` });
    expect(s.status).toBe(200);
    // The token expires: the stream ends, and its access log line is written.
    await s.until((x) => x.ended, 10_000);
    await sleep(100);
    const lines = logLines.filter((l) => l.includes('/v1/stream'));
    expect(lines.some((l) => l.includes('access_token=[redacted]'))).toBe(true);
    expect(logLines.filter((l) => l.includes(secret.split('.')[2]))).toEqual([]);
  });

  it('starts with retry and a position, then heartbeats carrying the position', async () => {
    const s = await open(originA);
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.headers['cache-control']).toBe('no-store');
    expect(s.headers['x-request-id']).toBeDefined();
    await s.until((x) => x.blocks.filter((b) => b.comment === 'ping').length >= 2, 5000);
    expect(s.blocks[0]).toEqual({ retry: 2000 });
    expect(s.blocks[1]).toEqual({ id: expect.any(String) });
    expect(s.blocks.filter((b) => b.comment === 'ping').every((b) => decodePosition(b.id))).toBe(true);
    // HEAD answers the head of a stream and holds nothing open.
    const head = await fetch(`${originA}/v1/stream`, { method: 'HEAD', headers: { authorization: `Bearer ${token()}` } });
    expect({ status: head.status, type: head.headers.get('content-type') }).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
  });

  it('coalesces changes of one object within the window into one message listing their types', async () => {
    const s = await open(originA, { query: 'topics=tickets' });
    const ticketId = randomUUID();
    await publishRaw(env, [
      ticketChange(ticketId, 'created', tenantA, 'SERVICE_TICKET_CREATED'),
      ticketChange(ticketId, 'assigned'),
      ticketChange(ticketId, 'in_progress'),
    ]);
    const [message] = await s.until((x) => x.changes().filter((m) => m.data.id === ticketId).length && x.changes().filter((m) => m.data.id === ticketId));
    expect(message).toMatchObject({
      event: 'ticket',
      id: expect.any(String),
      data: {
        topic: 'ticket',
        id: ticketId,
        types: ['SERVICE_TICKET_CREATED', 'SERVICE_TICKET_STATUS_CHANGED'],
        summary: { status: 'in_progress', ticketNumber: 'TKT-2027-00001' },
      },
    });
    await sleep(400);
    expect(s.changes().filter((m) => m.data.id === ticketId)).toHaveLength(1);
  });

  it('delivers the changes of each object in order', async () => {
    const s = await open(originA, { query: 'topics=tickets' });
    const objects = Array.from({ length: 4 }, () => randomUUID());
    for (let round = 1; round <= 5; round++) {
      await publishRaw(
        env,
        objects.map((id) => ticketChange(id, `status_${round}`)),
      );
      await sleep(round % 2 ? 50 : 300);
    }
    await s.until((x) => objects.every((id) => x.changes().some((m) => m.data.id === id && m.data.summary.status === 'status_5')));
    for (const id of objects) {
      const seen = s
        .changes()
        .filter((m) => m.data.id === id)
        .map((m) => Number(m.data.summary.status!.split('_')[1]));
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(5);
    }
  });

  it('shows a second tenant none of the first tenant’s changes', async () => {
    const mine = await open(originA);
    const theirs = await open(originB, { token: token({ tenantId: tenantB, roles: ['admin'] }) });
    const ticketId = randomUUID();
    await publishRaw(env, [ticketChange(ticketId, 'assigned'), inboxItem(asha, 'For Asha of tenant A')]);
    await mine.until((x) => x.changes('ticket', 'inbox').length >= 2);
    await sleep(400);
    expect(theirs.changes()).toEqual([]);
    await publishRaw(env, [ticketChange(randomUUID(), 'assigned', tenantB)]);
    await theirs.until((x) => x.changes('ticket').length === 1);
    expect(mine.changes().some((m) => m.data.id === ticketId)).toBe(true);
  });

  it('sends an inbox item only to the user it is addressed to', async () => {
    const toRavi = await open(originA, { token: token({ userId: ravi, roles: ['technician'] }) });
    const toAsha = await open(originB, { token: token({ userId: asha, roles: ['admin'] }) });
    await publishRaw(env, [inboxItem(ravi, 'Visit on 4 January')]);
    const [item] = await toRavi.until((x) => x.changes('inbox').length && x.changes('inbox'));
    expect(item.data).toMatchObject({ topic: 'inbox', types: ['INAPP_NOTIFICATION_CREATED'], summary: { title: 'Visit on 4 January' } });
    expect(JSON.stringify(item.data)).not.toContain('secret body');
    await publishRaw(env, [ticketChange(randomUUID(), 'assigned')]);
    await toAsha.until((x) => x.changes('ticket').length > 0);
    expect(toAsha.changes('inbox')).toEqual([]);
  });

  it('resumes after a reconnection (Last-Event-ID, or lastEventId by hand) with what was missed, then live', async () => {
    const first = await open(originA, { query: 'topics=tickets' });
    const before = randomUUID();
    await publishRaw(env, [ticketChange(before, 'assigned')]);
    await first.until((x) => x.changes().some((m) => m.data.id === before));
    first.close();
    const missed = [randomUUID(), randomUUID()];
    await publishRaw(
      env,
      missed.map((id) => ticketChange(id, 'in_progress')),
    );
    await sleep(500);

    const again = await open(originA, { query: 'topics=tickets', headers: { 'last-event-id': first.lastEventId! } });
    await again.until((x) => x.changes().length >= 2);
    expect(again.changes().map((m) => m.data.id)).toEqual(missed);
    const live = randomUUID();
    await publishRaw(env, [ticketChange(live, 'done')]);
    await again.until((x) => x.changes().some((m) => m.data.id === live));

    const byHand = await open(originA, { query: `topics=tickets&lastEventId=${encodeURIComponent(first.lastEventId!)}` });
    await byHand.until((x) => x.changes().length >= 3);
    expect(byHand.changes().map((m) => m.data.id)).toEqual([...missed, live]);
  });

  it('says reset (and where it stands now) for an id too old to resume, and for one it cannot place', async () => {
    const s = await open(originA);
    await s.until((x) => x.lastEventId);
    const now = decodePosition(s.lastEventId)!;
    const stale = encodePosition({ ...now, time: now.time - 10 * 60_000 });
    const old = await open(originA, { headers: { 'last-event-id': stale } });
    const [reset] = await old.until((x) => x.messages.length && x.messages);
    expect(reset).toEqual({ id: expect.any(String), event: 'reset', data: { reason: 'too-old' } });
    const unknown = await open(originA, { headers: { 'last-event-id': 'what-is-this' } });
    expect((await unknown.until((x) => x.messages.length && x.messages))[0]).toMatchObject({ event: 'reset', data: { reason: 'unknown-id' } });
  });

  it('lets clients of a replica that stops reconnect to another replica and resume there', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, (_, i) => open(originA, { token: token({ userId: i === 0 ? ravi : randomUUID() }) })));
    const before = randomUUID();
    await publishRaw(env, [ticketChange(before, 'assigned')]);
    await Promise.all(clients.map((c) => c.until((x) => x.changes().some((m) => m.data.id === before))));

    // Replica A goes away under its open streams: each ends, as a browser would see it.
    const stopping = closeApp(replicaA);
    await Promise.all(clients.map((c) => c.until((x) => x.ended, 15_000)));
    const during = [randomUUID(), randomUUID()];
    await publishRaw(env, [...during.map((id) => ticketChange(id, 'in_progress')), inboxItem(ravi, 'While A was away')]);
    await stopping;
    await sleep(400);

    // They reconnect to replica B with the id A gave them last: B heard the same changes, and resumes.
    const resumed = await Promise.all(
      clients.map((c, i) => open(originB, { token: token({ userId: i === 0 ? ravi : randomUUID() }), headers: { 'last-event-id': c.lastEventId! } })),
    );
    for (const r of resumed) {
      await r.until((x) => during.every((id) => x.changes('ticket').some((m) => m.data.id === id)));
      expect(r.messages.some((m) => m.event === 'reset')).toBe(false);
    }
    // Another replica resumes by time with an overlap of 2 s: what came just before may come again, never less.
    expect(resumed[0].changes('inbox').map((m) => m.data.summary.title)).toContain('While A was away');
    expect(resumed.slice(1).every((r) => r.changes('inbox').length === 0)).toBe(true);

    // A replica started afterwards cannot know what happened before it: it says reset.
    replicaA = await createGatewayApp(env.env('gateway', { STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS) }), { operations: PROBE_OPERATIONS });
    originA = await originOf(replicaA);
    const late = await open(originA, { headers: { 'last-event-id': clients[1].lastEventId! } });
    expect((await late.until((x) => x.messages.length && x.messages))[0]).toMatchObject({ event: 'reset', data: { reason: 'unknown-id' } });
  }, 60_000);

  it('counts open streams, messages and resumes in /metrics', async () => {
    await open(originB);
    const text = await (await fetch(`${originB}/metrics`)).text();
    expect(text).toMatch(/^gateway_stream_connections\{[^}]*\} [1-9]/m);
    expect(text).toMatch(/^gateway_stream_messages_sent_total\{[^}]*topic="ticket"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^gateway_stream_resumes_total\{[^}]*outcome="replayed"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^gateway_stream_changes_coalesced_total\{[^}]*\} [1-9]/m);
  });
});
