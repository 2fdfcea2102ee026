import { deadLetterQueue, domainExchange, parseRetryDelays, retryQueue, serviceQueue, unroutedExchange, unroutedQueue } from '../messaging/topology';
import type { TestEnvironment } from './test-environment';

/**
 * For apps a test runs as child processes: they declare their queues in their own process, so the test's
 * dispose() would not know those names (the topology module remembers only what this process declared).
 * Tells it the names each service declares with the default retry stages, and the namespace's exchanges.
 */
export function trackProcessTopology(env: TestEnvironment, services: readonly string[]): void {
  const ns = env.namespace;
  for (const s of services) {
    for (const q of [serviceQueue(ns, s), deadLetterQueue(ns, s), ...parseRetryDelays(undefined).map((d) => retryQueue(ns, s, d))]) env.trackQueue(q);
  }
  env.trackQueue(unroutedQueue(ns));
  env.trackExchange(domainExchange(ns));
  env.trackExchange(unroutedExchange(ns));
}
