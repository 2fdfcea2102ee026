import { round } from './latency';
import { PacedWindow } from './paced-load';
import { LoopDelay, slope } from './soak-probes';

export type SoakStream = 'read' | 'transition' | 'activation';

/** One sample of the soak: at its start (minute 0, before the load) and at the end of every minute. */
export interface SoakSample {
  minute: number;
  at: string;
  rssMb: Record<string, number>;
  /** Event-loop delay over the minute, per app (ms; an idle loop reads about 10 ms, see LoopDelay). */
  loopDelayMs: Record<string, LoopDelay | { error: string }>;
  /** Ready messages per queue of the namespace (namespace prefix left out). */
  queues: Record<string, number>;
  queuedTotal: number;
  /** What each paced stream did during the minute (not on minute 0). */
  load?: Record<SoakStream, PacedWindow>;
}

export interface SoakReport {
  minutes: number;
  /** Each stream's share of the load and the rate it was run at (activations: contracts per second). */
  streams: Record<SoakStream, { share: number; rate: number; unit: string; capacity: number; capacityUnit: string; capacitySource: string }>;
  samples: SoakSample[];
  /**
   * Least-squares RSS slope per app in MB per minute: over the samples under load (minute 1 on; minute 0 is
   * the idle start, which would read as growth) and over the second half alone (after caches and JIT
   * settled). A leak is a slope that stays positive in the second half of a long soak.
   */
  rssSlopeMbPerMin: Record<string, { underLoad: number; secondHalf: number; startMb: number; endMb: number }>;
}

export function rssSlopes(samples: SoakSample[], minutes: number): SoakReport['rssSlopeMbPerMin'] {
  const apps = Object.keys(samples[0]?.rssMb ?? {});
  const out: SoakReport['rssSlopeMbPerMin'] = {};
  const half = Math.ceil(minutes / 2);
  for (const app of apps) {
    const points = (from: number) => samples.filter((s) => s.minute >= from).map((s) => ({ x: s.minute, y: s.rssMb[app] }));
    out[app] = {
      underLoad: round(slope(points(1)), 3),
      secondHalf: round(slope(points(half)), 3),
      startMb: samples[0].rssMb[app],
      endMb: samples[samples.length - 1].rssMb[app],
    };
  }
  return out;
}

function cell(x: number | undefined, width: number, digits = 1): string {
  const s = x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
  return s.padStart(width);
}

/** The soak's tables for the end of a run: per-minute samples, then the slopes. */
export function renderSoak(r: SoakReport): string[] {
  const out: string[] = [];
  const apps = Object.keys(r.rssSlopeMbPerMin);
  const s = r.streams;
  out.push('');
  out.push(
    `soak, ${r.minutes} min: reads ${s.read.rate.toFixed(1)}/s, transitions ${s.transition.rate.toFixed(1)}/s, activations ${s.activation.rate.toFixed(2)}/s ` +
      `(each its share × 50 % of its capacity: ${s.read.capacity.toFixed(0)} req/s, ${s.transition.capacity.toFixed(0)} req/s, ${s.activation.capacity.toFixed(0)} events/s)`,
  );
  const short = (a: string) => a.replace('jtd-dispatcher', 'jtd').slice(0, 8);
  out.push(
    `${'min'.padStart(3)} | ${apps.map((a) => `${short(a)} MB`.padStart(11)).join(' ')} | ${apps.map((a) => `${short(a)} p99`.padStart(12)).join(' ')} | ${'queued'.padStart(6)} | ` +
      `${'read/s'.padStart(7)} ${'move/s'.padStart(7)} ${'act'.padStart(4)} ${'err'.padStart(4)} ${'miss'.padStart(5)} ${'read p99'.padStart(8)} ${'move p99'.padStart(8)}`,
  );
  for (const x of r.samples) {
    const loop = (a: string) => {
      const d = x.loopDelayMs[a];
      return d && 'p99' in d ? d.p99 : undefined;
    };
    const l = x.load;
    const err = l ? l.read.errors + l.transition.errors + l.activation.errors : undefined;
    const miss = l ? l.read.missed + l.transition.missed + l.activation.missed : undefined;
    out.push(
      `${String(x.minute).padStart(3)} | ${apps.map((a) => cell(x.rssMb[a], 11)).join(' ')} | ${apps.map((a) => cell(loop(a), 12)).join(' ')} | ${String(x.queuedTotal).padStart(6)} | ` +
        `${cell(l?.read.perSecond, 7)} ${cell(l?.transition.perSecond, 7)} ${cell(l?.activation.ok, 4, 0)} ${cell(err, 4, 0)} ${cell(miss, 5, 0)} ${cell(l?.read.p99, 8, 2)} ${cell(l?.transition.p99, 8, 2)}`,
    );
  }
  out.push(
    `RSS slope MB/min (under load | second half): ${apps.map((a) => `${a} ${cell(r.rssSlopeMbPerMin[a].underLoad, 0, 2)} | ${cell(r.rssSlopeMbPerMin[a].secondHalf, 0, 2)}`).join(', ')}`,
  );
  return out;
}
