import { HttpClient, HttpRequestSpec, HttpResponse } from './http-client';
import { LatencyRecorder, msSince } from './latency';
import { Measurement } from './result';

export interface HttpLoadOptions {
  key: string;
  label: string;
  client: HttpClient;
  connections: number;
  warmupMs: number;
  /** Measure for this long after warm-up (closed loop), or until `next` runs out. */
  durationMs: number;
  /** The request a connection sends next; undefined ends that connection. */
  next: (conn: number) => HttpRequestSpec | undefined;
  /** Sees every answer (e.g. to keep an aggregate's new version); return false to count it as an error. */
  onResponse?: (conn: number, spec: HttpRequestSpec, res: HttpResponse) => boolean | void;
}

/**
 * Closed-loop load: N connections, each sends its next request as soon as the previous one answered.
 * Latency is measured per request from send to full body; the warm-up's answers are not counted.
 */
export async function runHttpLoad(o: HttpLoadOptions): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let errors = 0;
  const errorSamples: string[] = [];
  const start = Date.now();
  const measureFrom = start + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  let measuredStart = 0;
  let measuredEnd = 0;

  const noteError = (msg: string) => {
    errors++;
    if (errorSamples.length < 5 && !errorSamples.includes(msg)) errorSamples.push(msg);
  };

  const loop = async (conn: number) => {
    for (;;) {
      if (Date.now() >= stopAt) return;
      const spec = o.next(conn);
      if (!spec) return;
      const t0 = process.hrtime.bigint();
      const sentAt = Date.now();
      let ok = false;
      try {
        const res = await o.client.request(spec);
        ok = res.status >= 200 && res.status < 300;
        if (o.onResponse && o.onResponse(conn, spec, res) === false) ok = false;
        if (!ok && sentAt >= measureFrom) noteError(`${res.status} ${res.body.slice(0, 160)}`);
      } catch (e) {
        if (sentAt >= measureFrom) noteError((e as Error).message);
      }
      const ms = msSince(t0);
      if (sentAt >= measureFrom) {
        if (!measuredStart) measuredStart = sentAt;
        measuredEnd = Date.now();
        if (ok) recorder.record(ms);
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, (_, i) => loop(i)));
  const durationMs = measuredStart ? measuredEnd - measuredStart : 0;
  return {
    key: o.key,
    label: o.label,
    throughput: durationMs > 0 ? (recorder.count / durationMs) * 1000 : 0,
    unit: 'req/s',
    count: recorder.count,
    durationMs,
    latencyMs: recorder.summary(),
    errors,
    errorSamples: errorSamples.length ? errorSamples : undefined,
    extra: { connections: o.connections },
  };
}
