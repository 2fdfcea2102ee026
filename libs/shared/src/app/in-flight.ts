import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { finalize, Observable, tap } from 'rxjs';
import { MetricsService } from '../observability/metrics.service';

/**
 * Counts the handlers (RPC and HTTP) that are running, so shutdown can wait for them to finish before the
 * broker channel and the database pool close under them. Installed as a global interceptor by
 * createServiceApp; with metrics attached it also records each RPC handler's latency and outcome.
 */
@Injectable()
export class InFlightTracker implements NestInterceptor {
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

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.active++;
    const rpc = context.getType() === 'rpc';
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    if (rpc) this.running?.inc();
    return next.handle().pipe(
      tap({
        // @Handles turns failures into `{ ok: false, error }` answers; anything thrown is a crash.
        next: (value) => {
          const error =
            (value as { ok?: boolean; error?: { code?: string } } | undefined)?.ok === false ? (value as { error?: { code?: string } }).error : undefined;
          if (error) outcome = error.code ?? 'error';
        },
        error: () => (outcome = 'exception'),
      }),
      finalize(() => {
        if (rpc) {
          this.running?.dec();
          this.latency?.observe({ pattern: patternOf(context), outcome }, Number(process.hrtime.bigint() - started) / 1e9);
        }
        this.done();
      }),
    );
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

function patternOf(context: ExecutionContext): string {
  const rpcContext = context.switchToRpc().getContext() as { getPattern?: () => unknown } | undefined;
  const pattern = rpcContext?.getPattern?.();
  if (typeof pattern === 'string') {
    // RMQ carries the pattern JSON-encoded.
    try {
      const parsed = JSON.parse(pattern);
      return typeof parsed === 'string' ? parsed : pattern;
    } catch {
      return pattern;
    }
  }
  return context.getHandler()?.name ?? 'unknown';
}
