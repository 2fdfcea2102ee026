import './testing/test-events.fixture';
import { INestApplicationContext, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { exec, sql } from '../db/sql';
import { eventually } from '../testing/eventually';
import { openSealed } from '../testing/sealed-values';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { checkAggregateOrder, DeferForOrder, MAX_ORDER_DEFERRALS, NOT_DEFERRED, OrderWait } from './aggregate-order';
import { DeadLettersService } from './dead-letters.service';
import { Envelope } from './envelope';
import { HandlesEvent } from './handles-event.decorator';
import { MessagingMetrics } from './messaging.metrics';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { captureEvents } from './testing/capture-events';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';
import { publishRaw, testEnvelope } from './testing/raw-publish';
import { TestSecretIssuedPayload, TestWidgetChangedPayload } from './testing/test-events.fixture';
import { serviceQueue } from './topology';

const RETRY_DELAYS = [200, 400, 800];
const SWALLOWS_A_DATABASE_ERROR = 'swallows a database error';

/** Records each handled widget event as a row, so a second effect would be a second row. */
@Injectable()
class WidgetHandlers {
  readonly failingWidgets = new Set<string>();
  readonly calls: { widgetId: string; at: number; ctx: RequestContext }[] = [];

  @HandlesEvent('TEST_WIDGET_CHANGED')
  async onChanged(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager, ctx: RequestContext) {
    this.calls.push({ widgetId: event.payload.widgetId, at: Date.now(), ctx });
    // decided when the call is recorded: a test that sees the call and then heals the widget must not race the INSERT
    const fails = this.failingWidgets.has(event.payload.widgetId);
    if (event.payload.note === SWALLOWS_A_DATABASE_ERROR) {
      // A handler bug: the failed statement leaves the transaction aborted, and the handler returns normally.
      await tx.query('SELECT 1 / 0').catch(() => undefined);
      return;
    }
    // Through sql.ts, as the services' handlers write: its statements must reach the savepoint too (a failing call's row undone).
    await exec(tx, sql`INSERT INTO test_widget_effects (message_id, widget_id, n) VALUES (${event.id}, ${event.payload.widgetId}, ${event.payload.n})`);
    if (fails) throw new Error('widget store is down');
  }

  readonly secrets: Envelope<TestSecretIssuedPayload>[] = [];

  @HandlesEvent('TEST_SECRET_ISSUED')
  onSecretIssued(event: Envelope<TestSecretIssuedPayload>) {
    this.secrets.push(event);
  }

  @HandlesEvent('TEST_WIDGET_REVISED', { ordered: true })
  async onRevised(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager) {
    await tx.query('INSERT INTO test_widget_effects (message_id, widget_id, n) VALUES ($1, $2, $3)', [event.id, event.payload.widgetId, event.payload.n]);
  }
}

describe('event consumer', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;
  let outbox: Outbox;
  let handlers: WidgetHandlers;

  const ctxOf = (tenantId = randomUUID()): RequestContext => ({
    tenantId,
    actor: { type: 'user', id: randomUUID(), name: 'Asha Rao' },
    roles: ['admin'],
    correlationId: randomUUID(),
  });
  const effects = async (widgetId: string): Promise<{ message_id: string; n: number }[]> =>
    ds.query('SELECT message_id, n FROM test_widget_effects WHERE widget_id = $1 ORDER BY seq', [widgetId]);
  const consumedAs = async (outcome: string) =>
    (await app.get(MessagingMetrics).consumed.get()).values.filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
  const emit = (ctx: RequestContext, widgetId: string, n = 1) =>
    ds.transaction((tx) => outbox.append(tx, ctx, [{ type: 'TEST_WIDGET_CHANGED', aggregateId: widgetId, aggregateVersion: n, payload: { widgetId, n } }]));

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env, { providers: [WidgetHandlers], env: { EVENT_RETRY_DELAYS_MS: RETRY_DELAYS.join(',') } });
    ds = dataSourceOf(app);
    // txid: which transaction applied the effect (messages delivered together share one)
    await ds.query(
      'CREATE TABLE test_widget_effects (seq bigserial PRIMARY KEY, message_id uuid NOT NULL, widget_id uuid NOT NULL, n int NOT NULL, txid bigint NOT NULL DEFAULT txid_current())',
    );
    outbox = app.get(Outbox);
    handlers = app.get(WidgetHandlers);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('runs the handler once per message with a context taken from the envelope', async () => {
    const ctx = ctxOf();
    const widgetId = randomUUID();
    const [sent] = await emit(ctx, widgetId);
    await eventually(async () => expect(await effects(widgetId)).toEqual([{ message_id: sent.id, n: 1 }]));
    const call = handlers.calls.find((c) => c.widgetId === widgetId)!;
    expect(call.ctx).toEqual({ tenantId: ctx.tenantId, actor: ctx.actor, roles: [], correlationId: ctx.correlationId, causationId: sent.id });
  });

  it('hands handlers sensitive fields sealed: from an outbox as they were published, and sealed on receipt if they came in clear', async () => {
    const ctx = ctxOf();
    const fromOutbox = randomUUID();
    await ds.transaction((tx) =>
      outbox.append(tx, ctx, [{ type: 'TEST_SECRET_ISSUED', aggregateId: fromOutbox, payload: { widgetId: fromOutbox, pin: '8040' } }]),
    );
    const inClear = testEnvelope(
      'TEST_SECRET_ISSUED',
      { widgetId: randomUUID(), pin: '5151', holders: [{ name: 'Ravi', token: 'tok-ravi-2' }] },
      { tenantId: ctx.tenantId },
    );
    await publishRaw(env, [inClear]);
    const [a, b] = await eventually(() => {
      const got = [fromOutbox, inClear.payload.widgetId].map((id) => handlers.secrets.find((e) => e.payload.widgetId === id));
      expect(got.every(Boolean)).toBe(true);
      return got as Envelope<TestSecretIssuedPayload>[];
    });
    expect(openSealed(a.payload.pin, ctx.tenantId)).toBe('8040');
    expect(openSealed(b.payload.pin, ctx.tenantId)).toBe('5151');
    expect(openSealed(b.payload.holders![0].token, ctx.tenantId)).toBe('tok-ravi-2');
    expect(await ds.query('SELECT id FROM dead_letters WHERE message_id = ANY($1)', [[a.id, b.id]])).toEqual([]);
  });

  it('delivers the duplicate of a relay that died between publish and mark, with no second effect', async () => {
    const relay = app.get(OutboxRelay);
    const capture = await captureEvents(env, ['TEST_WIDGET_CHANGED']);
    let crashes = 0;
    relay.faults.afterPublishBeforeMark = () => {
      if (crashes++ === 0) throw new Error('relay killed after the broker confirmed');
    };
    try {
      const widgetId = randomUUID();
      const [sent] = await emit(ctxOf(), widgetId);
      await eventually(() => expect(capture.events.filter((e) => e.id === sent.id)).toHaveLength(2));
      await eventually(async () => {
        const [row] = await ds.query('SELECT published_at FROM outbox WHERE id = $1', [sent.id]);
        expect(row.published_at).not.toBeNull();
      });
      await eventually(async () => {
        const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM inbox WHERE message_id = $1', [sent.id]);
        expect(count).toBe(1);
      });
      // the second copy was taken off the queue and recognised as a duplicate
      await eventually(async () => expect(await consumedAs('duplicate')).toBeGreaterThanOrEqual(1));
      expect(await effects(widgetId)).toEqual([{ message_id: sent.id, n: 1 }]);
    } finally {
      relay.faults.afterPublishBeforeMark = undefined;
      await capture.close();
    }
  });

  it('retries a failing handler with the configured delays, then dead-letters it with its error; a replay after the fix applies it once', async () => {
    const ctx = ctxOf();
    const widgetId = randomUUID();
    handlers.failingWidgets.add(widgetId);
    const [sent] = await emit(ctx, widgetId);
    const deadLetters = app.get(DeadLettersService);

    const listed = await eventually(
      async () => {
        const page = await deadLetters.list(ctx, {});
        expect(page.items).toHaveLength(1);
        return page.items[0];
      },
      { timeoutMs: 15000 },
    );
    expect(listed).toMatchObject({
      messageId: sent.id,
      type: 'TEST_WIDGET_CHANGED',
      reason: 'handler_failed',
      attempts: RETRY_DELAYS.length + 1,
      replayedAt: null,
    });
    expect(listed.lastError).toContain('widget store is down');
    expect(listed.envelope).toMatchObject({ id: sent.id, payload: { widgetId } });

    const calls = handlers.calls.filter((c) => c.widgetId === widgetId).map((c) => c.at);
    expect(calls).toHaveLength(RETRY_DELAYS.length + 1);
    RETRY_DELAYS.forEach((delay, i) => expect(calls[i + 1] - calls[i]).toBeGreaterThanOrEqual(delay - 20));
    expect(await effects(widgetId)).toEqual([]); // every failed attempt rolled back
    expect((await deadLetters.list(ctxOf(), {})).items).toHaveLength(0); // another tenant sees none of it

    handlers.failingWidgets.delete(widgetId);
    const replayed = await deadLetters.replay(ctx, listed.id);
    expect(replayed.replayedAt).not.toBeNull();
    await eventually(async () => expect(await effects(widgetId)).toEqual([{ message_id: sent.id, n: 1 }]));
    await deadLetters.replay(ctx, listed.id); // a second replay is a no-op
    await expect(deadLetters.replay(ctxOf(), listed.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await effects(widgetId)).toHaveLength(1);
  });

  it('dead-letters an invalid payload and an unknown type at once, with the reason', async () => {
    const tenantId = randomUUID();
    const ctx = ctxOf(tenantId);
    const invalid = testEnvelope('TEST_WIDGET_CHANGED', { widgetId: 'not-a-uuid', n: 'seven' }, { tenantId });
    const unknown = testEnvelope('TEST_NOT_IN_CATALOG', { anything: true }, { tenantId });
    await publishRaw(env, [invalid]);
    await publishRaw(env, [unknown], serviceQueue(env.namespace, 'events'));

    const items = await eventually(async () => {
      const page = await app.get(DeadLettersService).list(ctx, {});
      expect(page.items).toHaveLength(2);
      return page.items;
    });
    const byId = Object.fromEntries(items.map((i) => [i.messageId, i]));
    expect(byId[invalid.id]).toMatchObject({ reason: 'invalid_payload', attempts: 0 });
    expect(byId[invalid.id].lastError).toMatch(/payload\.widgetId: widgetId must be a UUID/);
    expect(byId[invalid.id].lastError).toMatch(/payload\.n: /);
    expect(byId[unknown.id]).toMatchObject({ reason: 'unknown_type', attempts: 0 });
    expect(byId[unknown.id].lastError).toContain('TEST_NOT_IN_CATALOG is not in the event catalog');
    expect(handlers.calls.some((c) => c.widgetId === 'not-a-uuid')).toBe(false);
  });

  it('handles messages delivered together in shared transactions, each once, and retries a failing one on its own', async () => {
    const tenantId = randomUUID();
    const widgets = Array.from({ length: 20 }, () => randomUUID());
    const failing = widgets[7];
    handlers.failingWidgets.add(failing);
    const messages = widgets.map((widgetId, n) => testEnvelope('TEST_WIDGET_CHANGED', { widgetId, n }, { tenantId, aggregateId: widgetId }));
    // with a second copy of one message in the same burst
    await publishRaw(env, [...messages, messages[3]]);
    await eventually(() => expect(handlers.calls.some((c) => c.widgetId === failing)).toBe(true));
    handlers.failingWidgets.delete(failing);

    const rows = await eventually(
      async () => {
        const found: { message_id: string; widget_id: string; txid: string }[] = await ds.query(
          'SELECT message_id, widget_id, txid FROM test_widget_effects WHERE widget_id = ANY($1::uuid[])',
          [widgets],
        );
        expect(found).toHaveLength(widgets.length);
        return found;
      },
      { timeoutMs: 15000 },
    );
    expect(rows.map((r) => r.message_id).sort()).toEqual(messages.map((m) => m.id).sort());
    // the failed attempt was rolled back alone: the others kept their effect, and it was applied by its retry
    expect(handlers.calls.filter((c) => c.widgetId === failing).length).toBeGreaterThanOrEqual(2);
    const transactions = new Set(rows.filter((r) => r.widget_id !== failing).map((r) => r.txid));
    expect(transactions.size).toBeLessThan(widgets.length - 1);
    await new Promise((r) => setTimeout(r, 300));
    const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM test_widget_effects WHERE widget_id = ANY($1::uuid[])', [widgets]);
    expect(count).toBe(widgets.length);
  });

  it('keeps the effects of the other messages of a batch when a handler swallows a database error', async () => {
    const tenantId = randomUUID();
    const [first, broken, last] = [randomUUID(), randomUUID(), randomUUID()];
    await publishRaw(env, [
      testEnvelope('TEST_WIDGET_CHANGED', { widgetId: first, n: 1 }, { tenantId, aggregateId: first }),
      testEnvelope('TEST_WIDGET_CHANGED', { widgetId: broken, n: 1, note: SWALLOWS_A_DATABASE_ERROR }, { tenantId, aggregateId: broken }),
      testEnvelope('TEST_WIDGET_CHANGED', { widgetId: last, n: 1 }, { tenantId, aggregateId: last }),
    ]);
    await eventually(async () => {
      expect(await effects(first)).toHaveLength(1);
      expect(await effects(last)).toHaveLength(1);
    });
    expect(handlers.calls.some((c) => c.widgetId === broken)).toBe(true);
  });

  it('applies out-of-order versions of one aggregate in order and ignores a stale one', async () => {
    const tenantId = randomUUID();
    const widgetId = randomUUID();
    const version = (n: number) => testEnvelope('TEST_WIDGET_REVISED', { widgetId, n }, { tenantId, aggregateId: widgetId, aggregateVersion: n });
    const [v1, v2, v3] = [version(1), version(2), version(3)];
    await publishRaw(env, [v3, v2]);
    await new Promise((r) => setTimeout(r, 100));
    await publishRaw(env, [v1]);
    await eventually(async () => expect((await effects(widgetId)).map((e) => e.n)).toEqual([1, 2, 3]), { timeoutMs: 15000 });

    const staleCopy = { ...version(2), id: randomUUID() };
    await publishRaw(env, [staleCopy]);
    await eventually(async () => {
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM inbox WHERE message_id = $1', [staleCopy.id]);
      expect(count).toBe(1);
    });
    expect((await effects(widgetId)).map((e) => e.n)).toEqual([1, 2, 3]);
  });

  it('applies a version whose predecessor never arrives after MAX_ORDER_DEFERRALS deferrals, then treats the late one as stale', async () => {
    const tenantId = randomUUID();
    const widgetId = randomUUID();
    const version = (n: number) => testEnvelope('TEST_WIDGET_REVISED', { widgetId, n }, { tenantId, aggregateId: widgetId, aggregateVersion: n });
    await publishRaw(env, [version(1)]);
    await eventually(async () => expect((await effects(widgetId)).map((e) => e.n)).toEqual([1]));
    const deferredBefore = await consumedAs('deferred');
    await publishRaw(env, [version(3)]);
    await eventually(async () => expect((await effects(widgetId)).map((e) => e.n)).toEqual([1, 3]), { timeoutMs: 15000 });
    expect((await consumedAs('deferred')) - deferredBefore).toBe(MAX_ORDER_DEFERRALS);

    const late = version(2);
    await publishRaw(env, [late]);
    await eventually(async () => {
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM inbox WHERE message_id = $1', [late.id]);
      expect(count).toBe(1);
    });
    expect((await effects(widgetId)).map((e) => e.n)).toEqual([1, 3]);
  });

  describe('checkAggregateOrder', () => {
    const consumer = 'order-check';
    /** Applies versions 1..last of a new aggregate, then checks `version` with `wait`: the outcome or the deferral's new wait. */
    const check = async (last: number, version: number, wait: OrderWait) => {
      const aggregateId = randomUUID();
      const envelope = (n: number) => testEnvelope('TEST_WIDGET_REVISED', { widgetId: aggregateId, n }, { aggregateId, aggregateVersion: n });
      for (let n = 1; n <= last; n++) await ds.transaction((tx) => checkAggregateOrder(tx, consumer, envelope(n), NOT_DEFERRED));
      return ds
        .transaction((tx) => checkAggregateOrder(tx, consumer, envelope(version), wait))
        .catch((e: unknown) => {
          if (e instanceof DeferForOrder) return e.wait;
          throw e;
        });
    };

    it('applies the next version and calls an equal or older one stale', async () => {
      expect(await check(2, 3, NOT_DEFERRED)).toBe(true);
      expect(await check(2, 2, NOT_DEFERRED)).toBe(false);
      expect(await check(2, 1, NOT_DEFERRED)).toBe(false);
    });

    it('defers a version ahead of the next one, remembering where the aggregate stood', async () => {
      expect(await check(2, 4, NOT_DEFERRED)).toEqual({ deferrals: 1, behind: 2 });
      expect(await check(2, 4, { deferrals: 3, behind: 2 })).toEqual({ deferrals: 4, behind: 2 });
    });

    it('accepts the gap after MAX_ORDER_DEFERRALS deferrals in which the aggregate did not move', async () => {
      expect(await check(2, 4, { deferrals: MAX_ORDER_DEFERRALS, behind: 2 })).toBe(true);
    });

    it('starts the wait over when the aggregate moved since the last deferral (its predecessors are still coming in)', async () => {
      expect(await check(3, 5, { deferrals: MAX_ORDER_DEFERRALS, behind: 2 })).toEqual({ deferrals: 1, behind: 3 });
    });
  });
});
