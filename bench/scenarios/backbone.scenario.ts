import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchContext } from '../lib/context';
import { LatencySummary } from '../lib/latency';
import { CpuReading, machineCpu } from '../lib/proc-stats';
import { Measurement, NotAvailable } from '../lib/result';

/** The shape bench/backbone.bench.ts (messaging work) takes and answers; kept loose so either side can grow. */
interface PhaseFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  cpuMsPerOp?: Record<string, number>;
}
interface BackboneBenchResult {
  backbone: { flood: PhaseFigures; paced: PhaseFigures };
  rawAmqplib?: { flood: PhaseFigures; paced: PhaseFigures };
  settings?: Record<string, unknown>;
}
type RunBackboneBench = (o: {
  adminDatabaseUrl: string;
  amqpUrl: string;
  floodEvents?: number;
  warmupMs?: number;
  producers?: number;
  pacedEvents?: number;
  pacedPerSecond?: number;
  log?: (m: string) => void;
  machineCpu?: () => CpuReading;
}) => Promise<BackboneBenchResult>;

/** The fixed rate at which emit → handled latency is measured (issue #7). */
export const PACED_PER_SECOND = 1000;

function measurement(key: string, label: string, p: PhaseFigures, notes?: string): Measurement {
  const l = p.latencyMs;
  const latencyMs: LatencySummary = { count: p.events, mean: l.mean, p50: l.p50, p95: l.p95, p99: l.p99, max: l.max };
  return {
    key,
    label,
    throughput: p.eventsPerSecond,
    unit: 'events/s',
    count: p.events,
    durationMs: Math.round(p.seconds * 1000),
    latencyMs,
    notes,
    cpuMsPerOp: p.cpuMsPerOp,
  };
}

/** Turns the backbone bench's answer into the bench's measurements (backbone, and raw amqplib beside it). */
export function backboneMeasurements(r: BackboneBenchResult, pacedPerSecond: number): Measurement[] {
  if (!r?.backbone?.flood || !r.backbone.paced)
    throw new Error(`runBackboneBench returned a shape the bench does not read: ${JSON.stringify(r).slice(0, 300)}`);
  const out = [
    measurement('backbone.max', 'outbox → relay → RabbitMQ → inbox, flood', r.backbone.flood, 'latency = emit (transaction start) → handler, with a backlog'),
    measurement('backbone.at-1000', `emit → handled at ${pacedPerSecond} events/s`, r.backbone.paced),
  ];
  if (r.rawAmqplib?.flood && r.rawAmqplib.paced) {
    out.push(
      measurement('backbone.raw-amqplib.max', 'raw amqplib confirm → quorum → ack, flood', r.rawAmqplib.flood),
      measurement('backbone.raw-amqplib.at-1000', `raw amqplib at ${pacedPerSecond} events/s`, r.rawAmqplib.paced),
    );
  }
  out[0].extra = { settings: r.settings };
  return out;
}

/**
 * Runs the messaging engineer's backbone bench (bench/backbone.bench.ts, `runBackboneBench`) on the same
 * servers: it provisions its own scratch database and namespace and drops them afterwards.
 */
export async function backboneScenario(b: BenchContext): Promise<Measurement[]> {
  const file = path.join(b.distDir, 'bench', 'backbone.bench.js');
  if (!existsSync(file)) throw new NotAvailable('bench/backbone.bench.ts (runBackboneBench, from the messaging work) does not exist yet');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, found at run time
  const mod = require(file) as { runBackboneBench?: RunBackboneBench };
  if (typeof mod.runBackboneBench !== 'function') throw new NotAvailable('bench/backbone.bench.ts does not export runBackboneBench()');
  const quick = b.opts.quick;
  const result = await mod.runBackboneBench({
    adminDatabaseUrl: b.adminUrl,
    amqpUrl: b.amqpUrl,
    floodEvents: quick ? 2000 : 20000,
    warmupMs: b.opts.warmupMs,
    pacedEvents: quick ? 2 * PACED_PER_SECOND : Math.round((PACED_PER_SECOND * b.opts.durationMs) / 1000),
    pacedPerSecond: PACED_PER_SECOND,
    log: (m) => b.log(`backbone: ${m}`),
    machineCpu: () => machineCpu(b.apps),
  });
  return backboneMeasurements(result, PACED_PER_SECOND);
}
