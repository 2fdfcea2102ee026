import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Envelope } from '../envelope';
import { declareDomainExchange, domainExchange } from '../topology';
import { TEST_QUEUE_ARGUMENTS, TestEnvironment } from '../../testing/test-environment';

export interface CapturedEvents {
  /** Every envelope received so far, in arrival order. */
  events: Envelope<any>[];
  /** Resolves with the first (already received or future) event of `type` that matches; rejects after the timeout. */
  waitFor<P extends object = any>(type: string, predicate?: (e: Envelope<P>) => boolean, timeoutMs?: number): Promise<Envelope<P>>;
  /** Events of one type received so far. */
  ofType<P extends object = any>(type: string): Envelope<P>[];
  close(): Promise<void>;
}

/**
 * Listens to the domain events of a test's broker namespace: a temporary queue bound to `types` on the
 * domain exchange (so it sees exactly what a consuming service would). Call it before the action under test.
 */
export async function captureEvents(env: TestEnvironment, types: string[]): Promise<CapturedEvents> {
  const conn = await connect(env.amqpUrl, { noDelay: true } as any);
  const ch = await conn.createChannel();
  await declareDomainExchange(ch, env.namespace, TEST_QUEUE_ARGUMENTS);
  const queue = `${env.namespace}.capture.${randomBytes(4).toString('hex')}`;
  await ch.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
  for (const type of types) await ch.bindQueue(queue, domainExchange(env.namespace), type);

  const events: Envelope<any>[] = [];
  const waiters: { type: string; predicate: (e: Envelope<any>) => boolean; resolve: (e: Envelope<any>) => void }[] = [];
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const e = JSON.parse(msg.content.toString('utf8')) as Envelope<any>;
      events.push(e);
      for (const w of [...waiters]) {
        if (w.type === e.type && w.predicate(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    },
    { noAck: true },
  );

  return {
    events,
    ofType: (type) => events.filter((e) => e.type === type),
    waitFor(type, predicate = () => true, timeoutMs = 10000) {
      const seen = events.find((e) => e.type === type && predicate(e));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { type, predicate: predicate as (e: Envelope<any>) => boolean, resolve: (e: Envelope<any>) => (clearTimeout(timer), resolve(e)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ${type} event matching the predicate within ${timeoutMs} ms (received: ${events.map((e) => e.type).join(', ') || 'none'})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async close() {
      await ch.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}
