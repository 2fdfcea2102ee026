import { HttpClient, HttpRequestSpec, HttpResponse } from './http-client';
import { cpuMsPer, LatencyRecorder, msSince } from './latency';
import { CpuMeter, CpuReading, startCpuMeter } from './proc-stats';
import { Measurement } from './result';

/** How an answer counts: true (or nothing) = a success if 2xx, false = an error, 'skip' = neither (a re-read after a reconnect). */
export type ResponseVerdict = boolean | 'skip' | void;

export interface HttpLoadOptions {
  key: string;
  label: string;
  client: HttpClient;
  connections: number;
  warmupMs: number;
  /** Measure for this long after warm-up (closed loop), or until `next` runs out. */
  durationMs: number;
  /** The request a connection sends next; undefined ends that connection (this generator only: autocannon needs one every time). */
  next: (conn: number) => HttpRequestSpec | undefined;
  /** Sees every answer (e.g. to keep an aggregate's new version); false counts it as an error, 'skip' not at all. */
  onResponse?: (conn: number, spec: HttpRequestSpec, res: HttpResponse) => ResponseVerdict;
  /**
   * Connection `conn` is new and the answer to its predecessor's last request may never have arrived
   * (autocannon drops what is in flight when its warm-up ends): per-connection state must be re-read.
   */
  onReconnect?: (conn: number) => void;
  /** Reads the machine's CPU by part (`machineCpu`), before and after the measured run: the measurement's `cpuMsPerOp`. */
  machineCpu?: () => CpuReading;
}

/**
 * The bench's own closed-loop generator (node:http): N connections, each sends its next request as soon as
 * the previous one answered. Latency is measured per request from send to full body; the warm-up's answers
 * are not counted.
 *
 * Why it is kept now that autocannon drives the HTTP scenarios (bench/lib/autocannon-load.ts):
 * - `--generator=http-load|both` measures with it, so a figure can be compared with the results taken
 *   before the switch, in the same run on the same servers;
 * - it keeps one set of connections across warm-up and measurement and lets in-flight requests finish,
 *   which autocannon does not (it closes its connections between its runs).
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
  let answers = 0;
  const cpuFrom = process.cpuUsage();
  let cpu: CpuMeter | undefined;
  const read = o.machineCpu;
  const warmedUp = read && setTimeout(() => (cpu = startCpuMeter(read)), o.warmupMs);

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
      let verdict: ResponseVerdict = false;
      try {
        const res = await o.client.request(spec);
        answers++;
        verdict = res.status >= 200 && res.status < 300;
        const said = o.onResponse?.(conn, spec, res);
        if (said === false || said === 'skip') verdict = said;
        if (verdict === false && sentAt >= measureFrom) noteError(`${res.status} ${res.body.slice(0, 160)}`);
      } catch (e) {
        if (sentAt >= measureFrom) noteError((e as Error).message);
      }
      const ms = msSince(t0);
      if (sentAt >= measureFrom && verdict !== 'skip') {
        if (!measuredStart) measuredStart = sentAt;
        measuredEnd = Date.now();
        if (verdict) recorder.record(ms);
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, (_, i) => loop(i)));
  if (warmedUp) clearTimeout(warmedUp);
  return httpMeasurement(o, recorder, { start: measuredStart, end: measuredEnd }, errors, errorSamples, cpu, {
    connections: o.connections,
    generator: 'http-load (node:http, the bench own)',
    generatorCpuMsPerAnswer: cpuMsPer(cpuFrom, answers),
  });
}

/** What either generator reports: successful answers over the measured window (first send → last answer). */
export function httpMeasurement(
  o: Pick<HttpLoadOptions, 'key' | 'label'>,
  recorder: LatencyRecorder,
  window: { start: number; end: number },
  errors: number,
  errorSamples: string[],
  cpu: CpuMeter | undefined,
  extra: Record<string, unknown>,
): Measurement {
  const durationMs = window.start ? window.end - window.start : 0;
  return {
    key: o.key,
    label: o.label,
    throughput: durationMs > 0 ? (recorder.count / durationMs) * 1000 : 0,
    unit: 'req/s',
    count: recorder.count,
    durationMs: Math.round(durationMs),
    latencyMs: recorder.summary(),
    errors,
    errorSamples: errorSamples.length ? errorSamples : undefined,
    cpuMsPerOp: cpu?.(recorder.count),
    extra,
  };
}
