import './testing/test-events.fixture';
import { INestApplicationContext, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { eventually } from '../testing/eventually';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { Envelope } from './envelope';
import { EventBatchItem, HandlesEvent, HandlesEventBatch } from './handles-event.decorator';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';
import { publishRaw, testEnvelope } from './testing/raw-publish';
import { TestWidgetChangedPayload } from './testing/test-events.fixture';

const RETRY_DELAYS = [200, 400, 800];

/** A batch handler that writes all its messages in one statement, as the dispatcher's job creation does. */
@Injectable()
class BatchWidgetHandlers {
  readonly failingWidgets = new Set<string>();
  readonly calls: { widgetIds: string[]; ctxs: RequestContext[] }[] = [];

  @HandlesEventBatch('TEST_WIDGET_CHANGED')
  async onChanged(items: EventBatchItem<TestWidgetChangedPayload>[], tx: EntityManager) {
    this.calls.push({ widgetIds: items.map((i) => i.event.payload.widgetId), ctxs: items.map((i) => i.ctx) });
    // decided when the call is recorded, so a test that heals a widget after seeing the call does not race the INSERT
    const failing = items.find((i) => this.failingWidgets.has(i.event.payload.widgetId));
    await tx.query(
      'INSERT INTO test_batch_effects (message_id, widget_id, n, correlation_id) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[])',
      [items.map((i) => i.event.id), items.map((i) => i.event.payload.widgetId), items.map((i) => i.event.payload.n), items.map((i) => i.ctx.correlationId)],
    );
    // Like a constraint that one row of a multi-row statement violates: the whole call fails.
    if (failing) throw new Error(`widget ${failing.event.payload.widgetId} is refused`);
  }

  /** A message type with a plain handler, between the batch type's messages. */
  @HandlesEvent('TEST_WIDGET_REVISED')
  async onRevised(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager, ctx: RequestContext) {
    await tx.query('INSERT INTO test_batch_effects (message_id, widget_id, n, correlation_id) VALUES ($1, $2, $3, $4)', [
      event.id,
      event.payload.widgetId,
      event.payload.n,
      ctx.correlationId,
    ]);
  }
}

describe('event consumer, batch handlers', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;
  let handlers: BatchWidgetHandlers;

  const effects = async (widgetIds: string[]): Promise<{ message_id: string; widget_id: string; n: number; txid: string; correlation_id: string }[]> =>
    ds.query('SELECT message_id, widget_id, n, txid::text, correlation_id FROM test_batch_effects WHERE widget_id = ANY($1::uuid[]) ORDER BY seq', [widgetIds]);
  const changed = (widgetId: string, n: number, tenantId: string) => testEnvelope('TEST_WIDGET_CHANGED', { widgetId, n }, { tenantId, aggregateId: widgetId });

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env, { providers: [BatchWidgetHandlers], env: { EVENT_RETRY_DELAYS_MS: RETRY_DELAYS.join(',') } });
    ds = dataSourceOf(app);
    await ds.query(
      `CREATE TABLE test_batch_effects (seq bigserial PRIMARY KEY, message_id uuid NOT NULL UNIQUE, widget_id uuid NOT NULL, n int NOT NULL,
         correlation_id text NOT NULL, txid bigint NOT NULL DEFAULT txid_current())`,
    );
    handlers = app.get(BatchWidgetHandlers);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('hands messages delivered together to one call, in delivery order, each once, duplicates left out, each with its own context', async () => {
    const tenantId = randomUUID();
    const widgets: string[] = Array.from({ length: 30 }, () => randomUUID());
    const messages = widgets.map((w, n) => changed(w, n, tenantId));
    await publishRaw(env, [...messages, messages[4], messages[17]]);

    const rows = await eventually(async () => {
      const found = await effects(widgets);
      expect(found).toHaveLength(widgets.length);
      return found;
    });
    expect(rows.map((r) => r.message_id).sort()).toEqual(messages.map((m) => m.id).sort());
    expect(rows.map((r) => r.correlation_id).sort()).toEqual(messages.map((m) => m.correlationId).sort());
    const calls = handlers.calls.filter((c) => c.widgetIds.some((w) => widgets.includes(w)));
    // Several messages per call, and fewer transactions than messages.
    expect(Math.max(...calls.map((c) => c.widgetIds.length))).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r.txid)).size).toBeLessThan(widgets.length);
    for (const call of calls) {
      // Each call's items in delivery order, none twice.
      const order = call.widgetIds.map((w) => widgets.indexOf(w));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(new Set(call.widgetIds).size).toBe(call.widgetIds.length);
      call.ctxs.forEach((ctx, i) => {
        const sent = messages[order[i]];
        expect(ctx).toMatchObject({ tenantId, correlationId: sent.correlationId, causationId: sent.id, actor: sent.actor, roles: [] });
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await effects(widgets)).toHaveLength(widgets.length);
  });

  it('rolls back a call that fails, commits the others of the batch one by one and retries the failing message alone', async () => {
    const tenantId = randomUUID();
    const widgets: string[] = Array.from({ length: 20 }, () => randomUUID());
    const failing = widgets[9];
    handlers.failingWidgets.add(failing);
    const messages = widgets.map((w, n) => changed(w, n, tenantId));
    await publishRaw(env, messages);

    // Everything but the failing message is applied at its first delivery…
    await eventually(async () => expect((await effects(widgets)).map((r) => r.widget_id).sort()).toEqual(widgets.filter((w) => w !== failing).sort()));
    // …the failing one was tried alone (a batch of one) and is retried through the delay queue.
    await eventually(() => expect(handlers.calls.filter((c) => c.widgetIds.length === 1 && c.widgetIds[0] === failing).length).toBeGreaterThanOrEqual(1));
    handlers.failingWidgets.delete(failing);
    await eventually(async () => expect(await effects([failing])).toHaveLength(1), { timeoutMs: 10000 });

    const rows = await effects(widgets);
    expect(rows).toHaveLength(widgets.length);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(widgets.length);
    // The messages that went first in a shared call kept one transaction per delivery batch, not one each.
    expect(new Set(rows.filter((r) => r.widget_id !== failing).map((r) => r.txid)).size).toBeLessThan(widgets.length - 1);
  });

  it('keeps delivery order across types: a message of another type ends a run', async () => {
    const tenantId = randomUUID();
    const widgets: string[] = Array.from({ length: 9 }, () => randomUUID());
    const messages = widgets.map((w, n) =>
      n % 3 === 2 ? testEnvelope('TEST_WIDGET_REVISED', { widgetId: w, n }, { tenantId, aggregateId: w }) : changed(w, n, tenantId),
    );
    await publishRaw(env, messages);
    const rows = await eventually(async () => {
      const found = await effects(widgets);
      expect(found).toHaveLength(widgets.length);
      return found;
    });
    // Within each delivery batch (one transaction), rows were written in delivery order.
    const byTransaction = new Map<string, number[]>();
    for (const r of rows) byTransaction.set(r.txid, [...(byTransaction.get(r.txid) ?? []), r.n]);
    for (const ns of byTransaction.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
    for (const call of handlers.calls.filter((c) => c.widgetIds.some((w) => widgets.includes(w)))) expect(call.widgetIds.length).toBeLessThanOrEqual(2);
  });
});
