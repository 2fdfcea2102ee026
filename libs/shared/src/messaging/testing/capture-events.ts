import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { Envelope } from '../envelope';
import { declareDomainExchange, domainExchange } from '../topology';
import { TEST_QUEUE_ARGUMENTS, TestEnvironment } from '../../testing/test-environment';

export interface CapturedEvents {
  /** Every envelope received so far, in arrival order. */
  events: Envelope<object>[];
  /** Resolves with the first (already received or future) event of `type` that matches; rejects after the timeout. */
  waitFor<P extends object = Record<string, unknown>>(type: string, predicate?: (e: Envelope<P>) => boolean, timeoutMs?: number): Promise<Envelope<P>>;
  /** Events of one type received so far. */
  ofType<P extends object = Record<string, unknown>>(type: string): Envelope<P>[];
  close(): Promise<void>;
}

/**
 * Listens to the domain events of a test's broker namespace: a temporary queue bound to `types` on the
 * domain exchange (so it sees exactly what a consuming service would). Call it before the action under test.
 */
export async function captureEvents(env: TestEnvironment, types: string[]): Promise<CapturedEvents> {
  const conn = await connect(env.amqpUrl, { noDelay: true });
  const ch = await conn.createChannel();
  await declareDomainExchange(ch, env.namespace, TEST_QUEUE_ARGUMENTS);
  const queue = `${env.namespace}.capture.${randomBytes(4).toString('hex')}`;
  await ch.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
  for (const type of types) await ch.bindQueue(queue, domainExchange(env.namespace), type);

  const events: Envelope<object>[] = [];
  const waiters: { type: string; predicate: (e: Envelope<object>) => boolean; resolve: (e: Envelope<object>) => void }[] = [];
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const e = JSON.parse(msg.content.toString('utf8')) as Envelope<object>;
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

  // The payload type a caller names is taken on trust: the envelopes are parsed JSON of that event type.
  const typed = <P extends object>(e: Envelope<object>) => e as Envelope<P>;
  return {
    events,
    ofType: <P extends object>(type: string) => events.filter((e) => e.type === type).map((e) => typed<P>(e)),
    waitFor<P extends object>(type: string, predicate: (e: Envelope<P>) => boolean = () => true, timeoutMs = 10000): Promise<Envelope<P>> {
      const matches = (e: Envelope<object>) => e.type === type && predicate(typed<P>(e));
      const seen = events.find(matches);
      if (seen) return Promise.resolve(typed<P>(seen));
      return new Promise((resolve, reject) => {
        const waiter = {
          type,
          predicate: (e: Envelope<object>) => predicate(typed<P>(e)),
          resolve: (e: Envelope<object>) => (clearTimeout(timer), resolve(typed<P>(e))),
        };
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
