/** Latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Keeps every sample (a Float64Array that doubles when full) and sorts once at the end: exact
 * percentiles, cheap enough for the few hundred thousand samples a bench run produces.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private n = 0;

  record(ms: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  summary(): LatencySummary {
    if (this.n === 0) return { count: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
    const sorted = this.samples.slice(0, this.n).sort();
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += sorted[i];
    const at = (q: number) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1))];
    return { count: this.n, mean: round(sum / this.n), p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[this.n - 1]) };
  }
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Milliseconds from a process.hrtime.bigint() reading to now. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * CPU this process used per answer since `from` (process.cpuUsage()), in ms: what the load generator itself
 * costs, taken from the same 2 cores as the servers it measures.
 */
export function cpuMsPer(from: NodeJS.CpuUsage, answers: number): number {
  const d = process.cpuUsage(from);
  return answers > 0 ? round((d.user + d.system) / 1000 / answers, 3) : NaN;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
