import type { Channel, ConfirmChannel } from 'amqplib';

/**
 * The broker topology of domain events, declared here and nowhere else.
 *
 * - `<ns>.domain-events`: durable topic exchange, routing key = event type. Its alternate exchange
 *   `<ns>.domain-events.unrouted` (fanout) feeds the capped queue `<ns>.domain-events.unrouted`: a legitimate
 *   event that no service consumes yet (JTD_STATUS_CHANGED before anyone listens) is routed there and not
 *   returned, so `mandatory` still catches a real misrouting (exchange missing, alternate exchange gone)
 *   without making "no consumer yet" an error. The outbox keeps every event anyway (event log).
 * - `<ns>.<service>.events`: one quorum queue per consuming service, bound to exactly the types its
 *   handlers declare; replicas compete on it.
 * - `<ns>.<service>.retry.<ms>ms`: one queue per retry delay. A failed message is republished there with
 *   its attempt count; the queue's TTL dead-letters it back to the service queue through the default
 *   exchange. No plugin, no requeue loop. The delay is in the name so changing the configured delays never
 *   clashes with the arguments of an existing queue.
 * - `<ns>.<service>.dlq`: the service's dead-letter queue; messages keep body, headers and the last error.
 *   The service moves them into its `dead_letters` table (listing, replay).
 *
 * Only the service queue is a quorum queue. Each quorum queue is a Raft group with its own log; six per service
 * and namespace (every test file has its own namespace) overloaded a small single-node broker. The retry
 * stages, the DLQ and the unrouted queue are durable classic queues: messages there are persistent, and the
 * DLQ is drained into Postgres at once.
 */
export function domainExchange(ns: string): string {
  return `${ns}.domain-events`;
}

export function unroutedExchange(ns: string): string {
  return `${ns}.domain-events.unrouted`;
}

export function unroutedQueue(ns: string): string {
  return `${ns}.domain-events.unrouted`;
}

export function serviceQueue(ns: string, service: string): string {
  return `${ns}.${service}.events`;
}

export function retryQueue(ns: string, service: string, delayMs: number): string {
  return `${ns}.${service}.retry.${delayMs}ms`;
}

export function deadLetterQueue(ns: string, service: string): string {
  return `${ns}.${service}.dlq`;
}

/**
 * A gateway replica's realtime stream queue (`GET /v1/stream`): exclusive and auto-deleted, so it lives as long
 * as the replica's connection, bound to the types the stream carries. Every replica hears every change.
 */
export function gatewayStreamQueue(ns: string, replicaId: string): string {
  return `${ns}.gateway.stream.${replicaId}`;
}

/** Messages kept in the unrouted queue; older ones are dropped (they are still in the producer's outbox). */
const UNROUTED_MAX_LENGTH = 10000;

/** Headers the backbone sets on messages it moves between queues. */
export const HEADERS = {
  attempts: 'x-cn-attempts',
  deferrals: 'x-cn-deferrals',
  deferredBehind: 'x-cn-deferred-behind',
  lastError: 'x-cn-last-error',
  reason: 'x-cn-dead-letter-reason',
  deadLetterId: 'x-cn-dead-letter-id',
  originalQueue: 'x-cn-original-queue',
  failedAt: 'x-cn-failed-at',
} as const;

type AnyChannel = Channel | ConfirmChannel;

export async function declareDomainExchange(ch: AnyChannel, ns: string, queueArgs: Record<string, unknown> = {}): Promise<void> {
  await ch.assertExchange(unroutedExchange(ns), 'fanout', { durable: true });
  await ch.assertQueue(unroutedQueue(ns), { durable: true, arguments: { ...queueArgs, 'x-max-length': UNROUTED_MAX_LENGTH, 'x-overflow': 'drop-head' } });
  await ch.bindQueue(unroutedQueue(ns), unroutedExchange(ns), '');
  await ch.assertExchange(domainExchange(ns), 'topic', { durable: true, arguments: { 'alternate-exchange': unroutedExchange(ns) } });
  remember(ns, { queues: [unroutedQueue(ns)], exchanges: [domainExchange(ns), unroutedExchange(ns)] });
}

/** The service's queue, its retry stages and its dead-letter queue, and the bindings for `types`. */
export async function declareServiceTopology(
  ch: AnyChannel,
  ns: string,
  service: string,
  types: string[],
  retryDelaysMs: number[],
  queueArgs: Record<string, unknown> = {},
): Promise<void> {
  await declareDomainExchange(ch, ns, queueArgs);
  const main = serviceQueue(ns, service);
  await ch.assertQueue(main, { durable: true, arguments: { ...queueArgs, 'x-queue-type': 'quorum' } });
  for (const type of types) await ch.bindQueue(main, domainExchange(ns), type);
  for (const delay of retryDelaysMs) {
    await ch.assertQueue(retryQueue(ns, service, delay), {
      durable: true,
      arguments: {
        ...queueArgs,
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': main,
      },
    });
  }
  await ch.assertQueue(deadLetterQueue(ns, service), { durable: true, arguments: queueArgs });
  remember(ns, topologyNames(ns, [service], retryDelaysMs));
}

/**
 * The queues and exchanges `declareServiceTopology` creates for these services in a namespace (with these retry
 * stages), for whoever deletes a namespace it did not declare itself (tests running apps as processes, the bench).
 */
export function topologyNames(ns: string, services: readonly string[], retryDelaysMs = parseRetryDelays(undefined)): { queues: string[]; exchanges: string[] } {
  return {
    queues: [unroutedQueue(ns), ...services.flatMap((s) => [serviceQueue(ns, s), deadLetterQueue(ns, s), ...retryDelaysMs.map((d) => retryQueue(ns, s, d))])],
    exchanges: [domainExchange(ns), unroutedExchange(ns)],
  };
}

/** Parses `5000,30000,300000`; the stages of retry before the dead-letter queue. */
export function parseRetryDelays(value: string | undefined, fallback = [5000, 30000, 300000]): number[] {
  if (!value) return fallback;
  const delays = value.split(',').map((v) => Number(v.trim()));
  if (delays.some((d) => !Number.isInteger(d) || d <= 0)) throw new Error(`retry delays must be positive integers (ms): ${value}`);
  return delays;
}

/** Names declared per namespace in this process, so a test's dispose() deletes them. */
const declared = new Map<string, { queues: Set<string>; exchanges: Set<string> }>();

function remember(ns: string, names: { queues: string[]; exchanges: string[] }): void {
  let entry = declared.get(ns);
  if (!entry) {
    entry = { queues: new Set(), exchanges: new Set() };
    declared.set(ns, entry);
  }
  for (const q of names.queues) entry.queues.add(q);
  for (const x of names.exchanges) entry.exchanges.add(x);
}

// Only under jest (global setup sets CN_TEST_RUN_ID): production code must not load the test harness.
if (process.env.CN_TEST_RUN_ID) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { registerNamespaceCleaner } = require('../testing/test-environment') as typeof import('../testing/test-environment');
  registerNamespaceCleaner((ns) => {
    const entry = declared.get(ns);
    declared.delete(ns);
    return { queues: [...(entry?.queues ?? [])], exchanges: [...(entry?.exchanges ?? [])] };
  });
}
