import './testing/test-events.fixture';
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { eventually } from '../testing/eventually';
import { PlanNode, pagesRead, planNodes } from '../testing/explained-plans';
import { openSealed } from '../testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { EventLogService } from './event-log.service';
import { Outbox } from './outbox';
import { CLAIM_BATCH, OutboxRelay, RELAY_SETTINGS } from './outbox-relay';
import { captureEvents } from './testing/capture-events';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';

/** TEST_SECRET_ISSUED's sensitive fields, sealed: as stored, published and returned. */
type SecretForm = { pin: unknown; holders: Array<{ token: unknown }> };

describe('transactional outbox', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;
  let outbox: Outbox;

  const ctxOf = (tenantId = randomUUID()): RequestContext => ({
    tenantId,
    actor: { type: 'user', id: randomUUID(), name: 'Asha Rao' },
    roles: ['admin'],
    correlationId: randomUUID(),
  });
  const widget = (n: number, widgetId = randomUUID()) => ({
    type: 'TEST_WIDGET_CHANGED',
    aggregateId: widgetId,
    aggregateVersion: n,
    payload: { widgetId, n },
  });

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env);
    ds = dataSourceOf(app);
    outbox = app.get(Outbox);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('publishes nothing for a rolled-back transaction and exactly the events of a committed one', async () => {
    const capture = await captureEvents(env, ['TEST_WIDGET_CHANGED']);
    try {
      const ctx = ctxOf();
      const rolledBack = randomUUID();
      await expect(
        ds.transaction(async (tx) => {
          await outbox.append(tx, ctx, [widget(1, rolledBack)]);
          throw new Error('business rule failed after the append');
        }),
      ).rejects.toThrow('business rule failed');

      const committed = [widget(1), widget(1)];
      const envelopes = await ds.transaction((tx) => outbox.append(tx, ctx, committed));

      await eventually(() => expect(capture.events.map((e) => e.id).sort()).toEqual(envelopes.map((e) => e.id).sort()));
      // the relay has had every chance to publish the rolled-back event by now: nothing in the table, nothing on the wire
      await app
        .get(OutboxRelay)
        .drainOnce()
        .catch(() => 0);
      expect(capture.events.some((e) => e.aggregateId === rolledBack)).toBe(false);
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM outbox WHERE aggregate_id = $1', [rolledBack]);
      expect(count).toBe(0);
      await eventually(async () => {
        const rows = await ds.query('SELECT published_at FROM outbox WHERE id = ANY($1::uuid[])', [envelopes.map((e) => e.id)]);
        expect(rows.every((r: { published_at: Date | null }) => r.published_at !== null)).toBe(true);
      });
    } finally {
      await capture.close();
    }
  });

  it('fills the envelope from the context and mirrors it in AMQP properties', async () => {
    const capture = await captureEvents(env, ['TEST_WIDGET_CHANGED']);
    try {
      const ctx = { ...ctxOf(), causationId: randomUUID() };
      const [sent] = await ds.transaction((tx) => outbox.append(tx, ctx, [{ ...widget(3), idempotencyKey: 'widget-3' }]));
      const got = await capture.waitFor('TEST_WIDGET_CHANGED', (e) => e.id === sent.id);
      expect(got).toEqual(sent);
      expect(got).toMatchObject({
        type: 'TEST_WIDGET_CHANGED',
        version: 1,
        tenantId: ctx.tenantId,
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        source: 'events',
        actor: ctx.actor,
        aggregateVersion: 3,
        idempotencyKey: 'widget-3',
        metadata: { userId: ctx.actor.id, requestId: ctx.correlationId, version: 'payload.TestWidgetChanged.v1' },
      });
      expect(got.payload).toMatchObject({ tenantId: ctx.tenantId, occurredAt: got.occurredAt });
    } finally {
      await capture.close();
    }
  });

  it('wakes the relay when a transaction that appended commits, not on a savepoint, a rollback or a transaction without events', async () => {
    const relay = app.get(OutboxRelay) as unknown as { notified(): void };
    const notified = jest.spyOn(relay, 'notified');
    try {
      await ds.transaction(async (tx) => {
        await tx.transaction((inner) => outbox.append(inner, ctxOf(), [widget(1)]));
        expect(notified).not.toHaveBeenCalled();
      });
      expect(notified).toHaveBeenCalledTimes(1);

      await ds.transaction((tx) => tx.query('SELECT 1'));
      await expect(
        ds.transaction(async (tx) => {
          await outbox.append(tx, ctxOf(), [widget(1)]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(notified).toHaveBeenCalledTimes(1);
    } finally {
      notified.mockRestore();
    }
  });

  it('appends thousands of events in one call, in order, with their optional fields', async () => {
    const ctx = { ...ctxOf(), causationId: randomUUID() };
    const widgetId = randomUUID();
    // more rows than a VALUES list could carry (16 parameters a row, 65,535 at most)
    const events = Array.from({ length: 4500 }, (_, i) =>
      i % 2 === 0
        ? widget(i + 1, widgetId)
        : { type: 'TEST_WIDGET_CHANGED', aggregateId: widgetId, idempotencyKey: `k-${i}`, payload: { widgetId, n: i + 1, note: `it's "#${i}"` } },
    );
    const envelopes = await ds.transaction((tx) => outbox.append(tx, ctx, events));
    const rows: {
      id: string;
      aggregate_version: number | null;
      idempotency_key: string | null;
      causation_id: string;
      payload: { n: number; note?: string };
    }[] = await ds.query('SELECT id, aggregate_version, idempotency_key, causation_id, payload FROM outbox WHERE aggregate_id = $1 ORDER BY seq', [widgetId]);
    expect(rows.map((r) => r.id)).toEqual(envelopes.map((e) => e.id));
    expect(rows[0]).toMatchObject({ aggregate_version: 1, idempotency_key: null, causation_id: ctx.causationId, payload: { n: 1 } });
    expect(rows[1]).toMatchObject({ aggregate_version: null, idempotency_key: 'k-1', payload: { n: 2, note: `it's "#1"` } });
    await eventually(async () => {
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM outbox WHERE aggregate_id = $1 AND published_at IS NULL', [widgetId]);
      expect(count).toBe(0);
    });
  });

  it('claims past the rows published since the last vacuum without visiting them again', async () => {
    // Every published row leaves an entry in the partial index of unpublished rows until a vacuum (this
    // machine's Postgres runs none; elsewhere autovacuum lags behind a busy outbox).
    const widgetId = randomUUID();
    await ds.transaction((tx) =>
      outbox.append(
        tx,
        ctxOf(),
        Array.from({ length: 3000 }, (_, i) => widget(i + 1, widgetId)),
      ),
    );
    // (Counting the published rows: a count of the unpublished ones would scan, and so clean, the index under test.)
    await eventually(async () => {
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM outbox WHERE aggregate_id = $1 AND published_at IS NOT NULL', [widgetId]);
      expect(count).toBe(3000);
    });
    const claim = (): Promise<PlanNode> =>
      ds.transaction(async (tx) => {
        for (const [name, value] of Object.entries(RELAY_SETTINGS)) await tx.query(`SET LOCAL ${name} TO ${value}`);
        const [row] = await tx.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${CLAIM_BATCH}`);
        return row['QUERY PLAN'][0].Plan;
      });
    // A plain index scan marks the 3,000 entries dead once no transaction may still see their rows (other
    // test files share the database); with bitmap scans every claim read their rows' pages again (276 here).
    await eventually(
      async () => {
        const plan = await claim();
        expect(planNodes(plan)).toContain('Index Scan on outbox_unpublished_idx');
        expect(pagesRead(plan)).toBeLessThan(100);
      },
      { intervalMs: 200 },
    );
  });

  it('refuses to append outside a transaction', async () => {
    await expect(outbox.append(ds.manager, ctxOf(), [widget(1)])).rejects.toThrow(/active transaction/);
  });

  it('throws on an unknown type and on an invalid payload, naming the problem', async () => {
    await expect(ds.transaction((tx) => outbox.append(tx, ctxOf(), [{ type: 'NO_SUCH_EVENT', aggregateId: randomUUID(), payload: {} }]))).rejects.toThrow(
      /NO_SUCH_EVENT is not in the event catalog/,
    );
    await expect(
      ds.transaction((tx) => outbox.append(tx, ctxOf(), [{ type: 'TEST_WIDGET_CHANGED', aggregateId: randomUUID(), payload: { widgetId: 'nope', n: -1 } }])),
    ).rejects.toThrow(/widgetId must be a UUID.*n must not be less than 0/);
    await expect(
      ds.transaction((tx) =>
        outbox.append(tx, ctxOf(), [{ type: 'TEST_WIDGET_CHANGED', aggregateId: randomUUID(), payload: { widgetId: randomUUID(), n: 1, extra: true } }]),
      ),
    ).rejects.toThrow(/extra is not an allowed field/);
  });

  it('publishes an event that no service consumes without treating it as an error', async () => {
    const widgetId = randomUUID();
    const [sent] = await ds.transaction((tx) =>
      outbox.append(tx, ctxOf(), [{ type: 'TEST_WIDGET_UNWATCHED', aggregateId: widgetId, payload: { widgetId, n: 1 } }]),
    );
    await eventually(async () => {
      const [row] = await ds.query('SELECT published_at, last_error FROM outbox WHERE id = $1', [sent.id]);
      expect(row.published_at).not.toBeNull();
      expect(row.last_error).toBeNull();
    });
  });

  it('answers the event log for the caller tenant only, filtered and newest first, page by page', async () => {
    const log = app.get(EventLogService);
    const ctx = ctxOf();
    const other = ctxOf();
    const widgetId = randomUUID();
    for (let n = 1; n <= 5; n++) {
      await ds.transaction((tx) => outbox.append(tx, ctx, [widget(n, widgetId)]));
    }
    await ds.transaction((tx) => outbox.append(tx, other, [widget(1, widgetId)]));

    const first = await log.query(ctx, { aggregateId: widgetId, limit: 3 });
    expect(first.items.map((e) => e.aggregateVersion)).toEqual([5, 4, 3]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await log.query(ctx, { aggregateId: widgetId, limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.aggregateVersion)).toEqual([2, 1]);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].every((e) => e.tenantId === ctx.tenantId)).toBe(true);

    const byCorrelation = await log.query(other, { correlationId: other.correlationId });
    expect(byCorrelation.items).toHaveLength(1);
    expect((await log.query(ctx, { type: 'TEST_WIDGET_UNWATCHED', aggregateId: widgetId })).items).toHaveLength(0);
    await expect(log.query(ctx, { cursor: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('validates sensitive fields in clear, then stores, publishes and logs them only sealed', async () => {
    const capture = await captureEvents(env, ['TEST_SECRET_ISSUED']);
    try {
      const ctx = ctxOf();
      const widgetId = randomUUID();
      const issued = (pin: string) => ({
        type: 'TEST_SECRET_ISSUED',
        aggregateId: widgetId,
        payload: { widgetId, pin, holders: [{ name: 'Asha', token: 'tok-asha-1' }] },
      });
      await expect(ds.transaction((tx) => outbox.append(tx, ctx, [issued('12')]))).rejects.toThrow(/pin/);

      const [sent] = await ds.transaction((tx) => outbox.append(tx, ctx, [issued('8040')]));
      const [row] = await ds.query('SELECT payload FROM outbox WHERE id = $1', [sent.id]);
      const got = await capture.waitFor('TEST_SECRET_ISSUED', (e) => e.id === sent.id);
      for (const form of [sent.payload, row.payload, got.payload]) {
        expect(JSON.stringify(form)).not.toMatch(/8040|tok-asha/);
        expect(openSealed((form as SecretForm).pin, ctx.tenantId)).toBe('8040');
        expect(openSealed((form as SecretForm).holders[0].token, ctx.tenantId)).toBe('tok-asha-1');
      }
      const [logged] = (await app.get(EventLogService).query(ctx, { aggregateId: widgetId })).items;
      expect(logged.payload).toMatchObject({ pin: '[sealed]', holders: [{ name: 'Asha', token: '[sealed]' }] });
    } finally {
      await capture.close();
    }
  });

  it('writes the events of several requests in one append, each row with its own context, in order, JSON byte for byte', async () => {
    const tenantId = randomUUID();
    const [a, b] = [
      ctxOf(tenantId),
      { ...ctxOf(tenantId), causationId: randomUUID(), actor: { type: 'system' as const, id: randomUUID(), name: 'Nightly "sweep" \\ ünïcode' } },
    ];
    const note = 'quotes " and \\ backslashes, {braces}, commas, a tab\t, NUL-free ünïcode ✓ and emoji 🙂';
    const second = widget(2);
    const events = [
      { ctx: a, events: [widget(1), { ...second, payload: { ...second.payload, note } }] },
      { ctx: b, events: [] },
      { ctx: b, events: [{ ...widget(3), idempotencyKey: 'idem-1' }] },
    ];
    const envelopes = await ds.transaction((tx) => outbox.appendGroups(tx, events));
    expect(envelopes).toHaveLength(3);
    const rows = await ds.query(
      `SELECT id, correlation_id, causation_id, actor, aggregate_id, aggregate_version, idempotency_key, payload, metadata, occurred_at, created_at
       FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [envelopes.map((e) => e.id)],
    );
    expect(rows.map((r: { id: string }) => r.id)).toEqual(envelopes.map((e) => e.id));
    expect(rows.map((r: { correlation_id: string }) => r.correlation_id)).toEqual([a.correlationId, a.correlationId, b.correlationId]);
    expect(rows[2]).toMatchObject({ causation_id: b.causationId, actor: b.actor, idempotency_key: 'idem-1', aggregate_version: 3 });
    expect(rows[0]).toMatchObject({ causation_id: null, actor: a.actor, idempotency_key: null });
    rows.forEach((r: { payload: unknown; metadata: unknown; occurred_at: Date; created_at: Date }, i: number) => {
      expect(r.payload).toEqual(envelopes[i].payload);
      expect(r.metadata).toEqual(envelopes[i].metadata);
      expect(r.occurred_at.toISOString()).toBe(envelopes[i].occurredAt);
      expect(r.created_at.toISOString()).toBe(envelopes[i].timestamp);
    });
    expect(rows[1].payload.note).toBe(note);
  });
});
