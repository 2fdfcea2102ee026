import autocannon from 'autocannon';
import { version as AUTOCANNON_VERSION } from 'autocannon/package.json';
import type { IncomingHttpHeaders } from 'node:http';
import { BenchContext } from './context';
import { HttpRequestSpec } from './http-client';
import { httpMeasurement, HttpLoadOptions, ResponseVerdict, runHttpLoad } from './http-load';
import { cpuMsPer, LatencyRecorder, round, sleep } from './latency';
import { machineCpu, startCpuMeter } from './proc-stats';
import { Measurement } from './result';

export type LoadGenerator = 'autocannon' | 'http-load' | 'both';
export const LOAD_GENERATORS: LoadGenerator[] = ['autocannon', 'http-load', 'both'];

type Method = NonNullable<autocannon.Request['method']>;

/**
 * A stateful scenario (the transition) re-reads what its connections own after autocannon's warm-up
 * dropped the answers in flight; the requests behind those answers may still be running on the server.
 * Their p99 is well under this, so the re-read sees their outcome.
 */
const SETTLE_AFTER_DROP_MS = 500;

/** Autocannon lowercases nothing: the answer's headers as node:http gives them, for `onResponse`. */
function lowerCased(headers: autocannon.Request['headers']): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * Closed-loop HTTP/1.1 load with autocannon (in this process, so it shares the 2 cores with the servers),
 * driven by the same `HttpLoadOptions` as the bench's own generator: each autocannon connection is one
 * `conn`, its next request comes from `next(conn)` (autocannon's `setupRequest`) once the previous answer
 * went through `onResponse` (autocannon calls it before it sends the next request on that connection), so
 * per-connection state such as an event's version works as it does in `runHttpLoad`.
 *
 * Two autocannon runs: the warm-up, then the measured duration (autocannon's own `warmup` option does the
 * same, but gives no hook between the two for the settle pause above). Figures:
 * - throughput: successful (2xx, and accepted by `onResponse`) answers ÷ measured time, as before;
 * - latency: exact p50/p95/p99 from every answer's own time (autocannon's `responseTime`, send → full body,
 *   hrtime), because autocannon's histogram truncates to whole milliseconds and has no p95;
 * - `extra.autocannon`: what autocannon itself reports for the measured run (req/s average over its 1 s
 *   samples, all statuses; latency percentiles in whole ms), the figure to set beside published ones.
 */
export async function runAutocannonLoad(o: HttpLoadOptions): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let errors = 0;
  const errorSamples: string[] = [];
  let measuring = false;
  let measuredStart = 0;
  let measuredEnd = 0;
  let opened = 0;
  let answers = 0;
  const cpuFrom = process.cpuUsage();
  // The verdict on the answer a connection just got: autocannon calls the request's onResponse (which has
  // the body) right before it emits 'response' (which has the latency) for the same answer.
  const verdicts = new WeakMap<autocannon.Client, ResponseVerdict>();
  const noteError = (msg: string) => {
    errors++;
    if (errorSamples.length < 5 && !errorSamples.includes(msg)) errorSamples.push(msg);
  };

  const setupClient = (client: autocannon.Client) => {
    const conn = opened++ % o.connections;
    if (opened > o.connections) o.onReconnect?.(conn);
    let spec: HttpRequestSpec | undefined;
    client.setRequests([
      {
        setupRequest: (req) => {
          spec = o.next(conn);
          if (!spec) throw new Error(`${o.key}: autocannon needs a request on every turn (next(${conn}) gave none)`);
          const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
          const headers: IncomingHttpHeaders = {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...spec.headers,
          };
          return { ...req, method: spec.method as Method, path: spec.path, headers, body };
        },
        onResponse: (status, body, _context, headers) => {
          answers++;
          let verdict: ResponseVerdict = status >= 200 && status < 300;
          const said = spec ? o.onResponse?.(conn, spec, { status, body, headers: lowerCased(headers) }) : undefined;
          if (said === false || said === 'skip') verdict = said;
          verdicts.set(client, verdict);
          if (verdict === false && measuring) noteError(`${status} ${body.slice(0, 160)}`);
        },
      },
    ]);
  };

  const run = (durationMs: number, onAnswer?: (client: autocannon.Client, status: number, bytes: number, ms: number) => void) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        { url: o.client.baseUrl, connections: o.connections, pipelining: 1, timeout: 30, duration: durationMs / 1000, setupClient },
        (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)),
      );
      if (onAnswer) {
        instance.on('response', onAnswer);
        instance.on('reqError', (e: unknown) => noteError(e instanceof Error ? e.message : String(e)));
      }
    });

  if (o.warmupMs > 0) {
    await run(o.warmupMs);
    if (o.onReconnect) await sleep(SETTLE_AFTER_DROP_MS);
  }
  measuring = true;
  const cpu = o.machineCpu && startCpuMeter(o.machineCpu);
  const result = await run(o.durationMs, (client, status, _bytes, ms) => {
    const verdict = verdicts.get(client) ?? (status >= 200 && status < 300);
    verdicts.delete(client);
    if (verdict === 'skip') return;
    const now = Date.now();
    const sentAt = now - ms;
    if (!measuredStart || sentAt < measuredStart) measuredStart = sentAt;
    measuredEnd = now;
    if (verdict) recorder.record(ms);
  });
  return httpMeasurement(o, recorder, { start: measuredStart, end: measuredEnd }, errors, errorSamples, cpu, {
    connections: o.connections,
    generator: `autocannon ${AUTOCANNON_VERSION}`,
    // Warm-up included, as for http-load: the bench process's CPU per answer (it also samples RSS, 4×/s).
    generatorCpuMsPerAnswer: cpuMsPer(cpuFrom, answers),
    autocannon: {
      requestsPerSecond: round(result.requests.average),
      latencyMs: { mean: round(result.latency.mean), p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
      latencyResolution: '1 ms (hdr-histogram of whole milliseconds)',
      answers2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      durationS: result.duration,
    },
  });
}

let comparisons = 0;

/**
 * An HTTP scenario's measurement with the generator `--generator` chose: autocannon (default), the bench's
 * own (`http-load`), or both one after the other (the bench's keyed `<key>.http-load`) to compare them on the
 * same servers in the same run. With both, which goes first alternates from one measurement to the next
 * (`extra.ranFirst`): the first one meets whatever the previous step left the servers to digest.
 */
export async function measureHttp(b: BenchContext, load: HttpLoadOptions): Promise<Measurement[]> {
  const o: HttpLoadOptions = { machineCpu: () => machineCpu(b.apps), ...load };
  if (b.opts.generator === 'autocannon') return [await runAutocannonLoad(o)];
  if (b.opts.generator === 'http-load') return [await runHttpLoad(o)];
  const autocannonFirst = comparisons++ % 2 === 0;
  const ours = async () => {
    const m = await runHttpLoad(o);
    return { ...m, key: `${o.key}.http-load`, label: `${o.label} [bench http-load]`, extra: { ...m.extra, ranFirst: !autocannonFirst } };
  };
  const theirs = async () => {
    const m = await runAutocannonLoad(o);
    return { ...m, extra: { ...m.extra, ranFirst: autocannonFirst } };
  };
  const first = await (autocannonFirst ? theirs() : ours());
  // Autocannon dropped its last answers: what the connections own is re-read before the next generator.
  if (autocannonFirst && o.onReconnect) {
    for (let conn = 0; conn < o.connections; conn++) o.onReconnect(conn);
    await sleep(SETTLE_AFTER_DROP_MS);
  }
  const second = await (autocannonFirst ? ours() : theirs());
  return autocannonFirst ? [first, second] : [second, first];
}
