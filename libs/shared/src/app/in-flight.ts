import { Gauge, Histogram } from 'prom-client';
import { RpcResponse } from '../rpc/rpc-request';
import { MetricsService } from '../observability/metrics.service';

/**
 * Counts the RPC handlers that are running, so shutdown can wait for them to finish before the broker
 * channel and the database pool close under them. With metrics attached it also records each handler's
 * latency and outcome (ok, the error code of a refused request, or `exception`).
 */
export class InFlightTracker {
  private active = 0;
  private idle: Array<() => void> = [];
  private latency?: Histogram<'pattern' | 'outcome'>;
  private running?: Gauge;

  get count(): number {
    return this.active;
  }

  useMetrics(metrics: MetricsService): void {
    this.latency = metrics.histogram({
      name: 'rpc_handler_duration_seconds',
      help: 'Time a service spent answering an RPC, by pattern and outcome (ok or the error code)',
      labelNames: ['pattern', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.running = metrics.gauge({ name: 'rpc_handlers_in_flight', help: 'RPC handlers running now' });
  }

  /** Runs one handler, counted until it settles. */
  async track(pattern: string, handler: () => Promise<RpcResponse>): Promise<RpcResponse> {
    this.active++;
    this.running?.inc();
    const started = process.hrtime.bigint();
    let outcome = 'exception';
    try {
      const response = await handler();
      outcome = response.ok ? 'ok' : (response.error?.code ?? 'error');
      return response;
    } finally {
      this.running?.dec();
      this.latency?.observe({ pattern, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      this.done();
    }
  }

  /** Resolves true once nothing runs, or false when `timeoutMs` passes first (shutdown goes on anyway). */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private done() {
    this.active--;
    if (this.active > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
