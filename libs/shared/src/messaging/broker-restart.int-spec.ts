import './testing/test-events.fixture';
import { INestApplicationContext, Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { eventually } from '../testing/eventually';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { Envelope } from './envelope';
import { HandlesEvent } from './handles-event.decorator';
import { Outbox } from './outbox';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';
import { TestWidgetChangedPayload } from './testing/test-events.fixture';

const run = promisify(execFile);
const logger = new Logger('BrokerRestartTest');

/** The broker is shared by every test run on this machine: keep the outage to a few seconds. */
async function rabbitmqctl(command: 'stop_app' | 'start_app' | 'await_startup'): Promise<void> {
  await run('rabbitmqctl', [command], { timeout: 60000 });
}

@Injectable()
class CountingHandler {
  @HandlesEvent('TEST_WIDGET_CHANGED')
  async onChanged(event: Envelope<TestWidgetChangedPayload>, tx: EntityManager) {
    await tx.query('INSERT INTO test_widget_effects (message_id, n) VALUES ($1, $2)', [event.id, event.payload.n]);
  }
}

describe('broker outage', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env, { providers: [CountingHandler] });
    ds = dataSourceOf(app);
    await ds.query('CREATE TABLE test_widget_effects (seq bigserial PRIMARY KEY, message_id uuid NOT NULL, n int NOT NULL)');
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('consumes all 1,000 events of a stream once each when RabbitMQ stops and starts in the middle', async () => {
    const outbox = app.get(Outbox);
    const ctx: RequestContext = { tenantId: randomUUID(), actor: { type: 'user', id: randomUUID(), name: 'Asha Rao' }, roles: [], correlationId: randomUUID() };
    const widgetId = randomUUID();
    let stopped = false;
    try {
      for (let batch = 0; batch < 100; batch++) {
        await ds.transaction((tx) =>
          outbox.append(
            tx,
            ctx,
            Array.from({ length: 10 }, (_, i) => ({ type: 'TEST_WIDGET_CHANGED', aggregateId: widgetId, payload: { widgetId, n: batch * 10 + i } })),
          ),
        );
        if (batch === 30) {
          logger.log('stopping RabbitMQ');
          stopped = true;
          await rabbitmqctl('stop_app');
        }
        if (batch === 60) {
          await rabbitmqctl('start_app');
          stopped = false;
          logger.log('RabbitMQ started');
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      if (stopped) await rabbitmqctl('start_app').catch((e) => logger.error(`could not restart RabbitMQ: ${e}`));
    }

    await eventually(
      async () => {
        const [row] = await ds.query(
          'SELECT count(*)::int AS total, count(DISTINCT message_id)::int AS distinct_ids, count(DISTINCT n)::int AS distinct_n FROM test_widget_effects',
        );
        expect(row).toEqual({ total: 1000, distinct_ids: 1000, distinct_n: 1000 });
      },
      { timeoutMs: 40000, intervalMs: 250 },
    );
    const [{ unpublished }] = await ds.query('SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL');
    expect(unpublished).toBe(0);
    // late redeliveries must not add a second effect either
    await new Promise((r) => setTimeout(r, 1000));
    const [{ total }] = await ds.query('SELECT count(*)::int AS total FROM test_widget_effects');
    expect(total).toBe(1000);
  }, 90000);
});
