import './testing/test-events.fixture';
import { INestApplicationContext, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { eventually } from '../testing/eventually';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { Envelope } from './envelope';
import { HandlesEvent } from './handles-event.decorator';
import { Outbox } from './outbox';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';
import { TestWidgetChangedPayload } from './testing/test-events.fixture';

@Injectable()
class RevisionRecorder {
  @HandlesEvent('TEST_WIDGET_REVISED', { ordered: true })
  async onRevised(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager) {
    await tx.query('INSERT INTO test_revisions (widget_id, n) VALUES ($1, $2)', [event.payload.widgetId, event.payload.n]);
  }
}

describe('two replicas of a service', () => {
  let env: TestEnvironment;
  let replicas: INestApplicationContext[] = [];
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    // An ordered event that overtook its predecessor waits up to MAX_ORDER_DEFERRALS first-stage delays in which
    // its aggregate does not move, then is applied and the gap accepted (its predecessor then counts as stale).
    // A loaded CI machine delayed a predecessor past 5 × 100 ms (98 of 100 applied); 1 s is the stage here
    // (production's: 5 s).
    const options = { providers: [RevisionRecorder], env: { EVENT_RETRY_DELAYS_MS: '1000,2000,4000' } };
    replicas = [await startMessagingApp(env, options), await startMessagingApp(env, options)];
    ds = dataSourceOf(replicas[0]);
    await ds.query('CREATE TABLE test_revisions (seq bigserial PRIMARY KEY, widget_id uuid NOT NULL, n int NOT NULL)');
  });

  afterAll(async () => {
    for (const app of replicas) await app.close().catch(() => undefined);
    await env?.dispose();
  });

  it('relay and consume competing on one outbox and one queue, applying each aggregate once per version and in order', async () => {
    const widgets = Array.from({ length: 10 }, () => randomUUID());
    const ctx: RequestContext = { tenantId: randomUUID(), actor: { type: 'system', id: randomUUID(), name: 'System' }, roles: [], correlationId: randomUUID() };
    for (let n = 1; n <= 10; n++) {
      await Promise.all(
        widgets.map((widgetId, i) => {
          const app = replicas[(n + i) % 2];
          return dataSourceOf(app).transaction((tx) =>
            app.get(Outbox).append(tx, ctx, [{ type: 'TEST_WIDGET_REVISED', aggregateId: widgetId, aggregateVersion: n, payload: { widgetId, n } }]),
          );
        }),
      );
    }

    await eventually(
      async () => {
        const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM test_revisions');
        expect(count).toBe(100);
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
    for (const widgetId of widgets) {
      const applied = (await ds.query('SELECT n FROM test_revisions WHERE widget_id = $1 ORDER BY seq', [widgetId])).map((r: { n: number }) => r.n);
      expect(applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    const [{ unpublished }] = await ds.query('SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL');
    expect(unpublished).toBe(0);
  });
});
