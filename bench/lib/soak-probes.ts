import { connect } from 'amqplib';
import { knownNames } from './broker-cleanup';
import { HttpClient } from './http-client';
import { round } from './latency';

/**
 * Event-loop delay of one app over the window since the previous scrape, in ms, from prom-client's default
 * metrics at /metrics: `nodejs_eventloop_lag_{p50,p99,max}_seconds` come from a perf_hooks
 * monitorEventLoopDelay histogram that prom-client resets after every scrape, so one scrape a minute gives
 * that minute's distribution. The histogram samples with a 10 ms timer and records the whole interval, so an
 * idle loop reads about 10 ms: compare with the sample taken before the load, not with 0.
 * `lag` is `nodejs_eventloop_lag_seconds`, one setImmediate measured at the scrape.
 */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  lag: number;
}

const LOOP_METRICS: Record<keyof LoopDelay, string> = {
  p50: 'nodejs_eventloop_lag_p50_seconds',
  p99: 'nodejs_eventloop_lag_p99_seconds',
  max: 'nodejs_eventloop_lag_max_seconds',
  lag: 'nodejs_eventloop_lag_seconds',
};

/** A metric's value in Prometheus text format (the first series of that name, labels or not). */
export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/**
 * Scrapes an app's /metrics. The apps inherit the bench's environment, so a METRICS_TOKEN set for the run
 * is theirs too (without one, development apps serve /metrics openly).
 */
export async function loopDelay(port: number): Promise<LoopDelay | { error: string }> {
  const client = new HttpClient(`http://127.0.0.1:${port}`, 1);
  try {
    const token = process.env.METRICS_TOKEN;
    const res = await client.request({ method: 'GET', path: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} }, 10000);
    if (res.status !== 200) return { error: `/metrics answered ${res.status}` };
    const out = {} as LoopDelay;
    for (const [k, name] of Object.entries(LOOP_METRICS) as [keyof LoopDelay, string][]) out[k] = round(metricValue(res.body, name) * 1000);
    return out;
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    client.close();
  }
}

/**
 * Ready messages per queue of the namespace (the names the topology declares), with amqplib's checkQueue:
 * the management API is not enabled on the development broker. A queue that does not exist is left out
 * (checkQueue's 404 closes its channel, hence one channel per queue). Unacknowledged messages are not in
 * messageCount: a stuck consumer shows as a count that does not fall, not as one that grows.
 */
export async function queueDepths(amqpUrl: string, namespace: string): Promise<Record<string, number>> {
  const conn = await connect(amqpUrl, { noDelay: true, timeout: 10000 });
  const out: Record<string, number> = {};
  try {
    for (const q of knownNames(namespace).queues) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      const ok = await ch.checkQueue(q).then(
        (r) => r,
        () => undefined,
      );
      if (ok) out[q.slice(namespace.length + 1)] = ok.messageCount;
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return out;
}

/** Least-squares slope of y over x (per unit of x); NaN with fewer than two points or no spread in x. */
export function slope(points: { x: number; y: number }[]): number {
  const ps = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (ps.length < 2) return NaN;
  const mx = ps.reduce((s, p) => s + p.x, 0) / ps.length;
  const my = ps.reduce((s, p) => s + p.y, 0) / ps.length;
  let num = 0;
  let den = 0;
  for (const p of ps) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}
