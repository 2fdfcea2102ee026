import { Logger } from '@nestjs/common';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { publishOptionsOf } from '@app/shared/messaging/outbox-row';
import { testEnvelope } from '@app/shared/messaging/testing/raw-publish';
import { declareDomainExchange, domainExchange } from '@app/shared/messaging/topology';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TEST_QUEUE_ARGUMENTS, TestEnvironment } from '@app/shared/testing/test-environment';
import { SystemClock } from '@app/shared/time/clock';
import { FakeProvider } from './support/fake-provider';
import { JtdInstance, startDispatcher, tenantWithAllChannels } from './support/jtd-harness';

const N = 1000;
const RAW_N = 5000;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Measures, in one run on this machine: raw RabbitMQ publish→consume throughput, and the dispatcher's
 * jobs/s and latency from a JTD_REQUESTED domain event to the (fake) provider's HTTP request. Figures are
 * logged, not asserted (speed depends on the machine); the test only asserts that every job arrived once.
 */
describe('JTD throughput (logged figures)', () => {
  let env: TestEnvironment;
  let fake: FakeProvider;
  let d: JtdInstance;
  const logger = new Logger('jtd-throughput');

  beforeAll(async () => {
    env = await createTestEnvironment();
    fake = await new FakeProvider().start();
    // Real time and the real loop: the worker wakes when a job-creating transaction commits.
    // The production provider timeout, not the harness's 1.5 s: the fake answers on this process's event
    // loop, which a loaded machine (CI runs two test files at once) can stall past 1.5 s for a burst of 200
    // sends in flight; those timeouts open the circuit and the jobs wait for their retry (seen in CI).
    d = await startDispatcher(env, fake, new SystemClock(), {
      JTD_WORKER_ENABLED: 'true',
      JTD_BATCH_SIZE: '50',
      JTD_POLL_INTERVAL_MS: '500',
      PROVIDER_TIMEOUT_MS: '10000',
    });
    // The seeded email cap (100/min) would measure the cap, not the pipeline.
    await d.db.query(`UPDATE channels SET rate_limit_per_minute = 10000000`);
  });

  afterAll(async () => {
    await d?.app.close();
    await fake?.stop();
    await env?.dispose();
  });

  it('measures raw RabbitMQ and event → provider request for the dispatcher', async () => {
    // Raw RabbitMQ: persistent publishes with confirms into one queue, consumed with acks.
    const conn = await connect(env.amqpUrl, { noDelay: true });
    const queue = `${env.namespace}.bench.raw`;
    env.trackQueue(queue);
    const pub = await conn.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true });
    const sub = await conn.createChannel();
    await sub.prefetch(200);
    let got = 0;
    const rawDone = new Promise<number>((resolve) => {
      void sub.consume(queue, (m) => {
        if (!m) return;
        sub.ack(m);
        if (++got === RAW_N) resolve(Date.now());
      });
    });
    const rawStart = Date.now();
    const body = Buffer.from(JSON.stringify(testEnvelope('JTD_REQUESTED', { x: 'y'.repeat(600) })));
    for (let i = 0; i < RAW_N; i += 100) {
      for (let j = 0; j < 100; j++) pub.sendToQueue(queue, body, { persistent: true });
      await pub.waitForConfirms();
    }
    const rawEnd = await rawDone;
    const rawRate = (RAW_N / (rawEnd - rawStart)) * 1000;

    // Dispatcher: JTD_REQUESTED on the domain exchange → job → fake MSG91 email request.
    const tenantId = await tenantWithAllChannels(d.db);
    const publishedAt = new Map<string, number>();
    const latencies: number[] = [];
    let last = 0;
    fake.onRequest = (route, req) => {
      if (route !== 'email') return;
      const m = /jtdbench-([0-9a-f-]{36})/.exec(req.rawBody);
      const at = publishedAt.get(m?.[1] ?? '');
      if (at === undefined) return;
      latencies.push(Date.now() - at);
      last = Date.now();
    };
    await declareDomainExchange(pub, env.namespace, TEST_QUEUE_ARGUMENTS);
    const start = Date.now();
    for (let i = 0; i < N; i += 100) {
      for (let j = 0; j < 100; j++) {
        const marker = randomUUID();
        const e = testEnvelope(
          'JTD_REQUESTED',
          {
            requestId: `bench-${marker}`,
            eventType: 'reminder',
            sourceType: 'service_reminder',
            sourceId: `jtdbench-${marker}`,
            channels: ['email'],
            recipient: { type: 'customer', name: 'Bench', email: `jtdbench-${marker}@example.com` },
            variables: { customer_name: 'Bench', service_type: 'PM', service_date: '2027-01-15', tenant_name: 'T' },
          },
          { tenantId, source: 'events' },
        );
        publishedAt.set(marker, Date.now());
        pub.publish(domainExchange(env.namespace), 'JTD_REQUESTED', Buffer.from(JSON.stringify(e)), publishOptionsOf(e));
      }
      await pub.waitForConfirms();
    }
    await eventually(() => expect(latencies.length).toBe(N), { timeoutMs: 50000, intervalMs: 100 });
    const rate = (N / (last - start)) * 1000;
    await conn.close();

    // The provider has seen every request; the `sent` mark follows the provider's answer, a moment later.
    await eventually(async () => {
      const sent = await d.db.query(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND status_code = 'sent'`, [tenantId]);
      expect(sent[0].n).toBe(N);
    });
    const [span] = await d.db.query(
      `SELECT extract(epoch FROM max(created_at) - min(created_at)) * 1000 AS created_ms, extract(epoch FROM max(sent_at) - min(sent_at)) * 1000 AS sent_ms FROM jobs WHERE tenant_id = $1`,
      [tenantId],
    );
    logger.log(`stages: jobs created over ${Math.round(span.created_ms)} ms, sent over ${Math.round(span.sent_ms)} ms`);
    expect(fake.of('email').filter((r) => r.rawBody.includes('jtdbench-')).length).toBe(N);
    logger.log(
      `raw RabbitMQ: ${RAW_N} persistent msgs publish(confirm)→consume(ack) in ${rawEnd - rawStart} ms = ${rawRate.toFixed(0)} msg/s | ` +
        `JTD: ${N} JTD_REQUESTED → provider request in ${last - start} ms = ${rate.toFixed(0)} jobs/s; latency event→provider ms ` +
        `p50 ${pct(latencies, 50)} p95 ${pct(latencies, 95)} p99 ${pct(latencies, 99)} max ${Math.max(...latencies)}`,
    );
  });
});
