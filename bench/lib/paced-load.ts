import { LatencyRecorder, LatencySummary, msSince, round, sleep } from './latency';

/** What one paced operation reports: a success with its latency, an error with a message, or not counted. */
export type PacedOutcome = { ok: true; ms: number } | { ok: false; error: string } | { ok: 'skip' };

/** One minute (or any window) of a paced stream. */
export interface PacedWindow {
  /** Successful operations per second over the window. */
  perSecond: number;
  ok: number;
  errors: number;
  /** Sends that were due but had no free slot (every owned aggregate busy, or the in-flight cap reached). */
  missed: number;
  p50: number;
  p99: number;
}

/** Counts of a paced stream, per window and in total. */
export class PacedStats {
  readonly total = new LatencyRecorder();
  errors = 0;
  missed = 0;
  readonly errorSamples: string[] = [];
  private window = new LatencyRecorder();
  private windowErrors = 0;
  private windowMissed = 0;
  private windowStart = Date.now();

  note(o: PacedOutcome): void {
    if (o.ok === true) {
      this.total.record(o.ms);
      this.window.record(o.ms);
    } else if (o.ok === false) {
      this.errors++;
      this.windowErrors++;
      if (this.errorSamples.length < 5 && !this.errorSamples.includes(o.error)) this.errorSamples.push(o.error);
    }
  }

  miss(): void {
    this.missed++;
    this.windowMissed++;
  }

  /** The window since the last call, and a new one from now. */
  take(): PacedWindow {
    const s = this.window.summary();
    const seconds = (Date.now() - this.windowStart) / 1000;
    const w: PacedWindow = {
      perSecond: round(seconds > 0 ? s.count / seconds : 0),
      ok: s.count,
      errors: this.windowErrors,
      missed: this.windowMissed,
      p50: s.p50,
      p99: s.p99,
    };
    this.window = new LatencyRecorder();
    this.windowErrors = 0;
    this.windowMissed = 0;
    this.windowStart = Date.now();
    return w;
  }

  summary(): LatencySummary {
    return this.total.summary();
  }
}

/**
 * Open-loop load at a steady rate: every 10 ms, as many operations start as are due since the start
 * (`rate` per second), each without waiting for the others. `start()` returns undefined when it has no
 * free slot (counted as missed, never queued: a queue would turn a slow server into a later burst).
 *
 * Why not autocannon: its rate limit (`overallRate`, `connectionRate`) lets each connection send its
 * quota for the second at once and then pause until the next second, so the load is a 1 Hz square wave at
 * full speed, not the steady half load the soak is meant to hold for half an hour.
 */
export async function pace(rate: number, until: () => boolean, start: () => Promise<PacedOutcome> | undefined, stats: PacedStats): Promise<void> {
  if (!(rate > 0)) return;
  const t0 = process.hrtime.bigint();
  let started = 0;
  const inFlight = new Set<Promise<void>>();
  while (!until()) {
    const due = Math.floor((msSince(t0) * rate) / 1000) - started;
    for (let i = 0; i < due; i++) {
      started++;
      const p = start();
      if (!p) {
        stats.miss();
        continue;
      }
      const tracked: Promise<void> = p
        .then(
          (o) => stats.note(o),
          (e: unknown) => stats.note({ ok: false, error: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
}

/** Times one operation: `ok` when `call` resolves true, an error with its message otherwise. */
export async function timed(call: () => Promise<true | string | 'skip'>): Promise<PacedOutcome> {
  const t0 = process.hrtime.bigint();
  const r = await call();
  if (r === 'skip') return { ok: 'skip' };
  return r === true ? { ok: true, ms: msSince(t0) } : { ok: false, error: r };
}
