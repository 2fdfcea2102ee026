import { readdirSync, readFileSync } from 'node:fs';
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

/** CPU time (user + system) a process has used, in seconds; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  return procStat(pid)?.seconds ?? NaN;
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

/** CPU seconds each process on the machine has used so far, by process (pid and start time) with its part (see `machineCpu`). */
export type CpuReading = ReadonlyMap<string, { part: string; seconds: number }>;

/** Process names (`/proc/<pid>/comm`) of a RabbitMQ node: the Erlang VM and its helpers. */
const RABBITMQ_COMMANDS = /^(beam\.smp|erl_child_setup|epmd|inet_gethost)$/;

/**
 * The CPU every process on the machine has used so far, each with its part: an app (by name), `postgres` (the
 * server and its backends), `rabbitmq`, `bench` (this process: load generators, fake provider, the backbone
 * bench's pipeline) or `other`. Two readings around a phase give where its CPU went (`cpuMsPerOperation`).
 */
export function machineCpu(apps: ReadonlyArray<{ name: string; pid: number }>): CpuReading {
  const appOf = new Map(apps.map((a) => [a.pid, a.name]));
  const out = new Map<string, { part: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = procStat(pid);
    if (!stat || !(stat.seconds > 0)) continue;
    const part = appOf.get(pid) ?? (pid === process.pid ? 'bench' : partOf(pid));
    // Keyed with the start time: a pid used again by a new process is another process.
    out.set(`${pid}@${stat.startTicks}`, { part, seconds: stat.seconds });
  }
  return out;
}

/** CPU seconds (user + system) and start time (clock ticks after boot) of a process; undefined when it is gone. */
function procStat(pid: number): { seconds: number; startTicks: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { seconds: (Number(fields[11]) + Number(fields[12])) / 100, startTicks: fields[19] };
  } catch {
    return undefined;
  }
}

function partOf(pid: number): string {
  let comm: string;
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'other';
  }
  if (comm === 'postgres') return 'postgres';
  return RABBITMQ_COMMANDS.test(comm) ? 'rabbitmq' : 'other';
}

/** A phase's CPU meter, started by `startCpuMeter`: what each of the phase's operations cost, by part, up to now. */
export type CpuMeter = (operations: number) => Record<string, number>;

/** Reads the machine's CPU now (`read`, e.g. `() => machineCpu(b.apps)`) and again when the meter is asked. */
export function startCpuMeter(read: () => CpuReading): CpuMeter {
  const before = read();
  return (operations) => cpuMsPerOperation(before, read(), operations);
}

/**
 * CPU milliseconds per operation each part used between two `machineCpu` readings, and `all` of them: what an
 * operation costs the machine, and where (parts under 0.001 ms left out). Counted process by process: one that
 * started meanwhile counts whole, one that ended meanwhile (a pooled connection's backend closed when idle) is
 * not in the second reading and counts nothing, so a part errs low, never high. Empty without operations.
 */
export function cpuMsPerOperation(before: CpuReading, after: CpuReading, operations: number): Record<string, number> {
  if (!(operations > 0)) return {};
  const used: Record<string, number> = {};
  for (const [key, { part, seconds }] of after) used[part] = (used[part] ?? 0) + Math.max(0, seconds - (before.get(key)?.seconds ?? 0));
  const out: Record<string, number> = {};
  let all = 0;
  for (const [part, seconds] of Object.entries(used)) {
    all += seconds;
    const ms = round((seconds * 1000) / operations, 3);
    if (ms >= 0.001) out[part] = ms;
  }
  out.all = round((all * 1000) / operations, 3);
  return out;
}
