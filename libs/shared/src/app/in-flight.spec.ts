import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, Subject, throwError } from 'rxjs';
import { MetricsService } from '../observability/metrics.service';
import { InFlightTracker } from './in-flight';

const ctx = { getType: () => 'http' } as unknown as ExecutionContext;

function rpcContext(pattern: string): ExecutionContext {
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => ({ getPattern: () => pattern }) }),
    getHandler: () => undefined,
  } as unknown as ExecutionContext;
}

describe('InFlightTracker', () => {
  it('is drained at once when nothing runs', async () => {
    await expect(new InFlightTracker().drained(10)).resolves.toBe(true);
  });

  it('waits for running handlers to finish', async () => {
    const tracker = new InFlightTracker();
    const work = new Subject<string>();
    const result = lastValueFrom(tracker.intercept(ctx, { handle: () => work } as CallHandler));
    expect(tracker.count).toBe(1);
    let drained = false;
    const waiting = tracker.drained(5000).then((v) => (drained = v));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    work.next('done');
    work.complete();
    await expect(result).resolves.toBe('done');
    await expect(waiting).resolves.toBe(true);
    expect(tracker.count).toBe(0);
  });

  it('counts a handler that fails as finished', async () => {
    const tracker = new InFlightTracker();
    await expect(lastValueFrom(tracker.intercept(ctx, { handle: () => throwError(() => new Error('x')) } as CallHandler))).rejects.toThrow('x');
    expect(tracker.count).toBe(0);
  });

  it('gives up after the timeout so shutdown cannot hang', async () => {
    const tracker = new InFlightTracker();
    tracker.intercept(ctx, { handle: () => new Subject() } as CallHandler).subscribe();
    await expect(tracker.drained(30)).resolves.toBe(false);
  });

  it('records each RPC handler by pattern and outcome (the error code of a refused request)', async () => {
    const metrics = new MetricsService('events');
    const tracker = new InFlightTracker();
    tracker.useMetrics(metrics);
    await lastValueFrom(tracker.intercept(rpcContext('events.getContract'), { handle: () => of({ ok: true, data: 1 }) }));
    await lastValueFrom(tracker.intercept(rpcContext('events.getContract'), { handle: () => of({ ok: false, error: { code: 'NOT_FOUND' } }) }));
    await expect(lastValueFrom(tracker.intercept(rpcContext('events.getContract'), { handle: () => throwError(() => new Error('x')) }))).rejects.toThrow();
    const text = await metrics.render();
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="ok"\} 1/);
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="NOT_FOUND"\} 1/);
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="exception"\} 1/);
    expect(text).toMatch(/rpc_handlers_in_flight\{service="events"\} 0/);
  });
});
