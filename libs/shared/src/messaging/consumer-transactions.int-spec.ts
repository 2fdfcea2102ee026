import './testing/test-events.fixture';
import { INestApplicationContext, Logger } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestEnvironment, TestEnvironment } from '../testing/test-environment';
import { NOT_DEFERRED } from './aggregate-order';
import { ConsumerTransactions, RegisteredHandler, Work } from './consumer-transactions';
import { Envelope } from './envelope';
import { dataSourceOf, startMessagingApp } from './testing/messaging-test-app';

describe('the consumer’s shared transactions', () => {
  let env: TestEnvironment;
  let app: INestApplicationContext;
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await startMessagingApp(env);
    ds = dataSourceOf(app);
    await ds.query('CREATE TABLE ct_counters (id text PRIMARY KEY, n int NOT NULL)');
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('lets two batches with the same aggregates in opposite orders wait for each other instead of deadlocking', async () => {
    const [x, y] = [randomUUID(), randomUUID()];
    await ds.query('INSERT INTO ct_counters (id, n) VALUES ($1, 0), ($2, 0)', [x, y]);
    const errors: string[] = [];
    // Each message bumps its aggregate's row, then holds it a while, as a slower handler would.
    const bump: RegisteredHandler = {
      name: 'bump',
      ordered: false,
      call: async (event, tx) => {
        try {
          await tx.query('UPDATE ct_counters SET n = n + 1 WHERE id = $1', [event.aggregateId]);
        } catch (e) {
          errors.push((e as { driverError?: { code?: string } }).driverError?.code ?? String(e));
          throw e;
        }
        await new Promise((r) => setTimeout(r, 300));
      },
    };
    const work = (aggregateId: string): Work => ({
      delivery: { msg: { properties: { headers: {} } } as unknown as ConsumeMessage },
      env: { id: randomUUID(), type: 'TEST_WIDGET_CHANGED', aggregateId, tenantId: randomUUID() } as Envelope,
      handlers: [bump],
      wait: NOT_DEFERRED,
    });
    const consumer = new ConsumerTransactions(ds, `ct-${randomUUID()}`, new Logger('test'));
    const started = Date.now();
    const batches = [
      [work(x), work(y)],
      [work(y), work(x)],
    ];
    await Promise.all(batches.map((b) => consumer.handleAll(b)));
    // Without one lock order: x, then y waited for by the first batch; y, then x by the second: a deadlock
    // after deadlock_timeout (1 s), and the loser handled again alone.
    expect(errors).toEqual([]);
    expect(batches.flat().map((w) => w.outcome)).toEqual(['handled', 'handled', 'handled', 'handled']);
    expect(await ds.query('SELECT n FROM ct_counters WHERE id = ANY($1) ORDER BY n', [[x, y]])).toEqual([{ n: 2 }, { n: 2 }]);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
