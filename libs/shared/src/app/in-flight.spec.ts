import { MetricsService } from '../observability/metrics.service';
import { RpcResponse } from '../rpc/rpc-request';
import { InFlightTracker } from './in-flight';

const ok: RpcResponse = { ok: true, data: 1 };

describe('InFlightTracker', () => {
  it('is drained at once when nothing runs', async () => {
    await expect(new InFlightTracker().drained(10)).resolves.toBe(true);
  });

  it('waits for running handlers to finish', async () => {
    const tracker = new InFlightTracker();
    let finish!: (r: RpcResponse) => void;
    const result = tracker.track('p', () => new Promise<RpcResponse>((r) => (finish = r)));
    expect(tracker.count).toBe(1);
    let drained = false;
    const waiting = tracker.drained(5000).then((v) => (drained = v));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    finish(ok);
    await expect(result).resolves.toBe(ok);
    await expect(waiting).resolves.toBe(true);
    expect(tracker.count).toBe(0);
  });

  it('counts a handler that fails as finished', async () => {
    const tracker = new InFlightTracker();
    await expect(tracker.track('p', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(tracker.count).toBe(0);
  });

  it('gives up after the timeout so shutdown cannot hang', async () => {
    const tracker = new InFlightTracker();
    void tracker.track('p', () => new Promise<RpcResponse>(() => undefined));
    await expect(tracker.drained(30)).resolves.toBe(false);
  });

  it('records each RPC handler by pattern and outcome (the error code of a refused request)', async () => {
    const metrics = new MetricsService('events');
    const tracker = new InFlightTracker();
    tracker.useMetrics(metrics);
    await tracker.track('events.getContract', async () => ok);
    await tracker.track('events.getContract', async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no' } }) as RpcResponse);
    await expect(tracker.track('events.getContract', () => Promise.reject(new Error('x')))).rejects.toThrow();
    const text = await metrics.render();
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="ok"\} 1/);
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="NOT_FOUND"\} 1/);
    expect(text).toMatch(/rpc_handler_duration_seconds_count\{service="events",pattern="events.getContract",outcome="exception"\} 1/);
    expect(text).toMatch(/rpc_handlers_in_flight\{service="events"\} 0/);
  });
});
