import { readFileSync } from 'node:fs';
import { round, sleep } from './latency';
import { RssByApp } from './result';

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); NaN when it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) a process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * Samples the RSS of every app four times a second, so a scenario can report each app's peak (memory
 * under load) as well as its RSS before and after.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private window?: RssByApp;

  constructor(private readonly pids: () => Record<string, number>) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  now(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids())) out[name] = rssMb(pid);
    return out;
  }

  begin(): void {
    const now = this.now();
    this.window = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, { startMb: v, peakMb: v, endMb: v }]));
  }

  end(): RssByApp {
    this.sample();
    const w = this.window ?? {};
    this.window = undefined;
    return w;
  }

  private sample(): void {
    if (!this.window) return;
    for (const [name, mb] of Object.entries(this.now())) {
      const w = (this.window[name] ??= { startMb: mb, peakMb: mb, endMb: mb });
      if (mb > w.peakMb || Number.isNaN(w.peakMb)) w.peakMb = mb;
      w.endMb = mb;
    }
  }
}

/**
 * Waits until the apps together use less than `maxCpuShare` of one core over a second (twice in a row),
 * e.g. after seeding, while relays and consumers still digest the messages it caused.
 */
export async function waitForQuiet(pids: number[], opts: { maxCpuShare?: number; timeoutMs?: number } = {}): Promise<{ quiet: boolean; waitedMs: number }> {
  const maxShare = opts.maxCpuShare ?? 0.1;
  const deadline = Date.now() + (opts.timeoutMs ?? 60000);
  const started = Date.now();
  let calm = 0;
  const total = () => pids.reduce((s, p) => s + (cpuSeconds(p) || 0), 0);
  while (Date.now() < deadline) {
    const a = total();
    await sleep(1000);
    const share = total() - a;
    calm = share < maxShare ? calm + 1 : 0;
    if (calm >= 2) return { quiet: true, waitedMs: Date.now() - started };
  }
  return { quiet: false, waitedMs: Date.now() - started };
}
