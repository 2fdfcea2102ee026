import { round } from './latency';
import { Measurement, ScenarioResult } from './result';
import { renderSoak } from './soak-report';

export interface MemoryReport {
  idleMb: Record<string, number>;
  peakMb: Record<string, number>;
  endMb: Record<string, number>;
}

export interface GoalRow {
  goal: string;
  figure: string;
  value: number | null;
  unit: string;
  baseline?: { key: string; value: number | null; unit: string };
  ratio?: number | null;
  target: string;
  /** null when the figure was not measured. */
  met: boolean | null;
}

type Index = Map<string, Measurement>;

function index(results: ScenarioResult[]): Index {
  const m = new Map<string, Measurement>();
  for (const r of results) for (const x of r.measurements) m.set(x.key, x);
  return m;
}

const tp = (i: Index, key: string) => i.get(key)?.throughput ?? null;
const p99 = (i: Index, key: string) => i.get(key)?.latencyMs?.p99 ?? null;

function ratioGoal(i: Index, goal: string, key: string, baseKey: string, min: number): GoalRow {
  const value = tp(i, key);
  const base = tp(i, baseKey);
  const ratio = value !== null && base ? round(value / base, 3) : null;
  return {
    goal,
    figure: `${key} throughput ÷ ${baseKey}`,
    value: value === null ? null : round(value, 1),
    unit: i.get(key)?.unit ?? '',
    baseline: { key: baseKey, value: base === null ? null : round(base, 1), unit: i.get(baseKey)?.unit ?? '' },
    ratio,
    target: `≥ ${Math.round(min * 100)} %`,
    met: ratio === null ? null : ratio >= min,
  };
}

function maxGoal(i: Index, goal: string, key: string, field: 'p99' | 'throughput', limit: number, atLeast = false): GoalRow {
  const value = field === 'p99' ? p99(i, key) : tp(i, key);
  return {
    goal,
    figure: `${key} ${field}`,
    value: value === null ? null : round(value, 2),
    unit: field === 'p99' ? 'ms' : (i.get(key)?.unit ?? ''),
    target: `${atLeast ? '≥' : '≤'} ${limit}${field === 'p99' ? ' ms' : ''}`,
    met: value === null || Number.isNaN(value) ? null : atLeast ? value >= limit : value <= limit,
  };
}

/**
 * The goals (issue #15, which raised those of issue #7 for JTD and set the ratios where the design can reach
 * them). A ratio is the service figure divided by the raw figure of the same run (throughput ÷ throughput);
 * a goal is reported as met or not, never enforced.
 */
export function evaluateGoals(results: ScenarioResult[], memory: MemoryReport): GoalRow[] {
  const i = index(results);
  const rows: GoalRow[] = [
    ratioGoal(i, 'read an event through the gateway', 'gateway.read-event', 'raw.rabbitmq.rpc', 0.3),
    maxGoal(i, 'read an event through the gateway', 'gateway.read-event', 'p99', 15),
    ratioGoal(i, 'status transition through the gateway', 'gateway.transition', 'raw.postgres.outbox-tx', 0.25),
    maxGoal(i, 'status transition through the gateway', 'gateway.transition', 'p99', 25),
    ratioGoal(i, 'activate a contract of 1,000 events', 'activation.single-1000', 'raw.postgres.multi-row-insert', 0.2),
    ratioGoal(i, 'activate 100 contracts of 24 events in parallel', 'activation.parallel-100x24', 'raw.postgres.multi-row-insert', 0.1),
    maxGoal(i, 'domain event backbone, max rate', 'backbone.max', 'throughput', 2500, true),
    maxGoal(i, 'domain event backbone, emit→handled at 1,000/s', 'backbone.at-1000', 'p99', 50),
    maxGoal(i, 'JTD pipeline, live mode, max rate', 'jtd.max.live', 'throughput', 1500, true),
    maxGoal(i, 'JTD pipeline, test mode, max rate', 'jtd.max.test', 'throughput', 1500, true),
    maxGoal(i, 'JTD pipeline, live mode, at 500 jobs/s', 'jtd.at-500.live', 'p99', 250),
    maxGoal(i, 'JTD pipeline, test mode, at 500 jobs/s', 'jtd.at-500.test', 'p99', 250),
    maxGoal(i, 'cockpit with 100,000 events', 'gateway.cockpit', 'p99', 100),
    // The coalescing window (250 ms) is part of it by design.
    maxGoal(i, 'stream: 1,000 open streams, event → client', 'stream.fanout-1000', 'p99', 500),
  ];
  // Context, not goals: how far each path is from the raw part it is built on.
  rows.push({ ...ratioGoal(i, '(info) gateway read vs raw NestJS/Fastify', 'gateway.read-event', 'raw.http', 0), target: 'info', met: null });
  rows.push({ ...ratioGoal(i, '(info) backbone vs raw amqplib pipeline', 'backbone.max', 'backbone.raw-amqplib.max', 0), target: 'info', met: null });
  rows.push({ ...ratioGoal(i, '(info) backbone vs raw quorum publish', 'backbone.max', 'raw.rabbitmq.publish', 0), target: 'info', met: null });
  rows.push({ ...ratioGoal(i, '(info) JTD live vs raw quorum publish', 'jtd.max.live', 'raw.rabbitmq.publish', 0), target: 'info', met: null });
  for (const app of Object.keys(memory.idleMb)) {
    const idle = memory.idleMb[app];
    const peak = memory.peakMb[app];
    rows.push({
      goal: `memory ${app} idle`,
      figure: 'RSS',
      value: idle ?? null,
      unit: 'MB',
      target: '≤ 120 MB',
      met: Number.isFinite(idle) ? idle <= 120 : null,
    });
    rows.push({
      goal: `memory ${app} under load (peak)`,
      figure: 'RSS',
      value: peak ?? null,
      unit: 'MB',
      target: '≤ 250 MB',
      met: Number.isFinite(peak) ? peak <= 250 : null,
    });
  }
  return rows;
}

function pad(s: string, n: number, right = false): string {
  if (s.length > n) s = s.slice(0, n - 1) + '…';
  return right ? s.padStart(n) : s.padEnd(n);
}

function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  return x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits);
}

/** `all 1.862 = jtd-dispatcher 0.724 + postgres 0.632 + …`, largest part first. */
function cpuParts(perOp: Record<string, number>): string {
  const parts = Object.entries(perOp)
    .filter(([part]) => part !== 'all')
    .sort(([, x], [, y]) => y - x)
    .map(([part, ms]) => `${part} ${ms.toFixed(3)}`);
  return `all ${perOp.all.toFixed(3)} = ${parts.join(' + ')}`;
}

/** The human table printed at the end of a run. */
export function renderTables(results: ScenarioResult[], goals: GoalRow[], memory: MemoryReport): string {
  const out: string[] = [];
  out.push('');
  out.push(
    `${pad('scenario / figure', 58)} ${pad('throughput', 18, true)} ${pad('p50 ms', 8, true)} ${pad('p95 ms', 8, true)} ${pad('p99 ms', 8, true)} ${pad('n', 8, true)} ${pad('err', 5, true)}`,
  );
  out.push('-'.repeat(119));
  for (const r of results) {
    if (r.status !== 'ok') {
      out.push(`${pad(r.name, 58)} ${r.status.toUpperCase()}: ${r.reason ?? ''}`.slice(0, 400));
      continue;
    }
    for (const m of r.measurements) {
      const l = m.latencyMs;
      out.push(
        `${pad(`${r.name}: ${m.label}`, 58)} ${pad(`${fmt(m.throughput)} ${m.unit}`, 18, true)} ${pad(fmt(l?.p50, 2), 8, true)} ${pad(fmt(l?.p95, 2), 8, true)} ${pad(fmt(l?.p99, 2), 8, true)} ${pad(String(m.count), 8, true)} ${pad(String(m.errors ?? 0), 5, true)}`,
      );
      if (m.cpuMsPerOp?.all) out.push(`    CPU ms per op: ${cpuParts(m.cpuMsPerOp)}`);
    }
  }
  for (const r of results) if (r.soak) out.push(...renderSoak(r.soak));
  out.push('');
  out.push(`${pad('memory (RSS MB)', 20)} ${pad('idle', 8, true)} ${pad('peak', 8, true)} ${pad('end', 8, true)}`);
  for (const app of Object.keys(memory.idleMb)) {
    out.push(`${pad(app, 20)} ${pad(fmt(memory.idleMb[app]), 8, true)} ${pad(fmt(memory.peakMb[app]), 8, true)} ${pad(fmt(memory.endMb[app]), 8, true)}`);
  }
  out.push('');
  out.push(
    `${pad('goal', 52)} ${pad('value', 16, true)} ${pad('baseline', 16, true)} ${pad('ratio', 8, true)} ${pad('target', 12, true)} ${pad('met', 5, true)}`,
  );
  out.push('-'.repeat(114));
  for (const g of goals) {
    const base = g.baseline ? `${fmt(g.baseline.value)} ${g.baseline.unit}` : '';
    const ratio = g.ratio === undefined || g.ratio === null ? '' : `${(g.ratio * 100).toFixed(1)} %`;
    const met = g.met === null ? '-' : g.met ? 'yes' : 'NO';
    out.push(
      `${pad(g.goal, 52)} ${pad(`${fmt(g.value)} ${g.unit}`, 16, true)} ${pad(base, 16, true)} ${pad(ratio, 8, true)} ${pad(g.target, 12, true)} ${pad(met, 5, true)}`,
    );
  }
  out.push('');
  return out.join('\n');
}
