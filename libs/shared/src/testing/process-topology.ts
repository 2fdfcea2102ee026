import { topologyNames } from '../messaging/topology';
import type { TestEnvironment } from './test-environment';

/**
 * For apps a test runs as child processes: they declare their queues in their own process, so the test's
 * dispose() would not know those names (the topology module remembers only what this process declared).
 * Tells it what each service declares with the default retry stages, and the namespace's exchanges.
 */
export function trackProcessTopology(env: TestEnvironment, services: readonly string[]): void {
  const { queues, exchanges } = topologyNames(env.namespace, services);
  for (const q of queues) env.trackQueue(q);
  for (const x of exchanges) env.trackExchange(x);
}
