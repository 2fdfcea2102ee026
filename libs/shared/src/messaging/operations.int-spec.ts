import './testing/test-events.fixture';
import { INestApplicationContext, Injectable } from '@nestjs/common';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { HealthService } from '../observability/health.service';
import { MetricsService } from '../observability/metrics.service';
import { eventually } from '../testing/eventually';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { Envelope } from './envelope';
import { HandlesEvent } from './handles-event.decorator';
import { MessagingMonitor } from './messaging-monitor';
import { Outbox } from './outbox';
import { RetentionPurgeJob } from './retention-purge.job';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';
import { TestWidgetChangedPayload } from './testing/test-events.fixture';
import { unroutedQueue } from './topology';

/** Holds each widget's handler until the test releases it, to have work in flight at shutdown. */
@Injectable()
class SlowHandler {
  release?: () => void;
  started?: () => void;
  finished = 0;

  @HandlesEvent('TEST_WIDGET_CHANGED')
  async onChanged(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager) {
    if (event.payload.note === 'slow') {
      this.started?.();
      await new Promise<void>((r) => (this.release = r));
    }
    await tx.query('SELECT 1');
    this.finished++;
  }
}

describe('backbone operations', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;

  const ctx = (): RequestContext => ({
    tenantId: randomUUID(),
    actor: { type: 'system', id: randomUUID(), name: 'System' },
    roles: [],
    correlationId: randomUUID(),
  });
  const append = (type: string, note?: string) => {
    const widgetId = randomUUID();
    return ds.transaction((tx) => app.get(Outbox).append(tx, ctx(), [{ type, aggregateId: widgetId, payload: { widgetId, n: 1, ...(note ? { note } : {}) } }]));
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env, { providers: [SlowHandler] });
    ds = dataSourceOf(app);
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await env?.dispose();
  });

  it('reports the broker in readiness and the backbone figures on the app metrics', async () => {
    const report = await app.get(HealthService).readiness();
    expect(report.checks.broker).toMatchObject({ status: 'up' });
    const [sent] = await append('TEST_WIDGET_CHANGED');
    await eventually(async () => {
      await app.get(MessagingMonitor).refresh();
      const text = await app.get(MetricsService).render();
      expect(text).toContain(`domain_events_published_total{type="${sent.type}",service="events"} 1`);
      expect(text).toMatch(/domain_events_consumed_total\{type="TEST_WIDGET_CHANGED",outcome="handled",service="events"\} 1/);
      expect(text).toMatch(/domain_event_handled_latency_seconds_count\{[^}]*type="TEST_WIDGET_CHANGED"[^}]*\} 1/);
      expect(text).toMatch(new RegExp(`domain_event_queue_depth\\{queue="${env.namespace}.events.events",service="events"\\} 0`));
      expect(text).toMatch(/outbox_unpublished_rows\{service="events"\} 0/);
    });
  });

  it('does not mark a row the broker returned as unroutable, restores the topology and publishes it', async () => {
    const conn = await connect(env.amqpUrl);
    try {
      const ch = await conn.createChannel();
      await ch.deleteQueue(unroutedQueue(env.namespace)); // the alternate exchange now leads nowhere
      const [sent] = await append('TEST_WIDGET_UNWATCHED');
      await eventually(
        async () => {
          const [row] = await ds.query('SELECT published_at, attempts, last_error FROM outbox WHERE id = $1', [sent.id]);
          expect(row).toEqual({ published_at: expect.any(Date), attempts: expect.any(Number), last_error: null });
          expect(row.attempts).toBeGreaterThanOrEqual(2); // the first attempt was returned, not counted as published
        },
        { timeoutMs: 15000 },
      );
      expect(await app.get(MetricsService).render()).toMatch(/domain_events_publish_errors_total\{type="TEST_WIDGET_UNWATCHED",service="events"\} [1-9]/);
      await expect(ch.checkQueue(unroutedQueue(env.namespace))).resolves.toMatchObject({ queue: unroutedQueue(env.namespace) });
    } finally {
      await conn.close();
    }
  });

  it('purges published event log rows past their retention class, old inbox and request journal rows, keeps the rest', async () => {
    const now = new Date('2030-06-01T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86400000).toISOString();
    const row = async (retention: string, createdAt: string, published: boolean) => {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO outbox (id, type, version, tenant_id, correlation_id, source, actor, aggregate_id, payload, metadata, occurred_at, retention_class, created_at, published_at)
         VALUES ($1, 'TEST_WIDGET_CHANGED', 1, $2, 'c', 'events', '{}', 'a', '{}', '{}', $3, $4, $3, $5)`,
        [id, randomUUID(), createdAt, retention, published ? createdAt : null],
      );
      return id;
    };
    const oldActivity = await row('activity', daysAgo(400), true);
    const youngActivity = await row('activity', daysAgo(300), true);
    const oldUnpublished = await row('activity', daysAgo(400), false);
    const booking = await row('booking', daysAgo(5 * 365), true);
    const oldBooking = await row('booking', daysAgo(8 * 365), true);
    const unknownClass = await row('renamed_class', daysAgo(3 * 365), true);
    const oldInbox = randomUUID();
    await ds.query(`INSERT INTO inbox (consumer, message_id, processed_at) VALUES ('events', $1, $2)`, [oldInbox, daysAgo(200)]);
    const [oldRequest, youngRequest] = [randomUUID(), randomUUID()];
    await ds.query(`INSERT INTO rpc_requests (request_id, operation, received_at) VALUES ($1, 'events.x', $2), ($3, 'events.x', $4)`, [
      oldRequest,
      daysAgo(1.1),
      youngRequest,
      daysAgo(0.9),
    ]);

    const purged = await app.get(RetentionPurgeJob).purge(now);

    const left = (
      await ds.query('SELECT id FROM outbox WHERE id = ANY($1::uuid[])', [[oldActivity, youngActivity, oldUnpublished, booking, oldBooking, unknownClass]])
    ).map((r: { id: string }) => r.id);
    expect(left.sort()).toEqual([youngActivity, oldUnpublished, booking].sort());
    expect(purged.outbox).toBeGreaterThanOrEqual(3);
    expect(await ds.query('SELECT 1 FROM inbox WHERE message_id = $1', [oldInbox])).toEqual([]);
    const requests = await ds.query('SELECT request_id FROM rpc_requests WHERE request_id = ANY($1::text[])', [[oldRequest, youngRequest]]);
    expect(requests).toEqual([{ request_id: youngRequest }]);
    expect(purged.requests).toBeGreaterThanOrEqual(1);
  });

  it('lets a handler in flight finish and commit before the app closes', async () => {
    const handler = app.get(SlowHandler);
    const started = new Promise<void>((r) => (handler.started = r));
    const [sent] = await append('TEST_WIDGET_CHANGED', 'slow');
    await started;
    const before = handler.finished;
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 200));
    handler.release!();
    await closing;
    expect(handler.finished).toBe(before + 1);
    const check = await connectCheck(env, sent.id);
    expect(check).toBe(1);
  });
});

/** Reads the inbox after the app (and its pool) closed. */
async function connectCheck(env: TestEnvironment, messageId: string): Promise<number> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: env.adminDatabaseUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT count(*)::int AS n FROM events.inbox WHERE message_id = $1', [messageId]);
    return r.rows[0].n;
  } finally {
    await c.end();
  }
}
