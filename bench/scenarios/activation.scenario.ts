import { BenchContext } from '../lib/context';
import { LatencyRecorder, msSince } from '../lib/latency';
import { machineCpu, startCpuMeter, waitForQuiet } from '../lib/proc-stats';
import { Measurement } from '../lib/result';
import { activateContract, createContract } from './contracts';

const BIG = 1000;
const SMALL = 24;
const PARALLEL = 100;

/** How many events an activation materialised, from its answer when it says so. */
export function materialised(answer: unknown, promised: number): number {
  const a = (answer && typeof answer === 'object' ? answer : {}) as Record<string, unknown>;
  const n = a.totalEvents ?? a.eventCount ?? a.eventsCreated ?? (Array.isArray(a.events) ? a.events.length : undefined) ?? a.materialisedEvents;
  return typeof n === 'number' && n > 0 ? n : promised;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Until relays and consumers are done with the announcements (up to 30 s): their CPU is part of an activation's cost. */
async function untilDigested(b: BenchContext): Promise<void> {
  await waitForQuiet(
    b.apps.map((a) => a.pid),
    { timeoutMs: 30000 },
  );
}

/**
 * Activation materialises a contract's events (TaskIDs, audit, outbox) in one transaction. Contracts
 * are created beforehand; only POST /activate is timed. events/s = events materialised ÷ time.
 */
export async function activationScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const token = seed.adminToken;

  // Warm-up: one small activation (JIT, pools, statement caches).
  await activateContract(b, token, await createContract(b, token, SMALL, 'BENCH-WARM'));

  const big = new LatencyRecorder();
  let gatewayTimeouts = 0;
  let bigEvents = 0;
  let bigMs = 0;
  // CPU by part until the other services have digested the announcements too: what an event costs the machine.
  const bigCpu = startCpuMeter(() => machineCpu(b.apps));
  for (let i = 0; i < b.opts.bigActivations; i++) {
    const id = await createContract(b, token, BIG, 'BENCH-BIG');
    const t0 = process.hrtime.bigint();
    const answer = await activateContract(b, token, id);
    const ms = msSince(t0);
    if (answer?.timedOutAtGateway) gatewayTimeouts++;
    big.record(ms);
    bigMs += ms;
    bigEvents += materialised(answer, BIG);
    seed.contractIds.push(id);
  }
  seed.eventsInTenant += bigEvents;
  await untilDigested(b);
  const bigCpuMs = bigCpu(bigEvents);

  const ids = await mapLimit(Array.from({ length: PARALLEL }), 10, () => createContract(b, token, SMALL, 'BENCH-PAR'));
  const each = new LatencyRecorder();
  const parCpu = startCpuMeter(() => machineCpu(b.apps));
  const t0 = process.hrtime.bigint();
  const answers = await Promise.all(
    ids.map(async (id) => {
      const s = process.hrtime.bigint();
      const a = await activateContract(b, token, id);
      each.record(msSince(s));
      if (a?.timedOutAtGateway) gatewayTimeouts++;
      return a;
    }),
  );
  const wallMs = msSince(t0);
  const parEvents = answers.reduce((sum, a) => sum + materialised(a, SMALL), 0);
  seed.eventsInTenant += parEvents;
  await untilDigested(b);
  const parCpuMs = parCpu(parEvents);

  return [
    {
      key: 'activation.single-1000',
      label: `activate 1 contract of ${BIG} events (×${b.opts.bigActivations})`,
      throughput: (bigEvents / bigMs) * 1000,
      unit: 'events/s',
      count: bigEvents,
      durationMs: Math.round(bigMs),
      latencyMs: big.summary(),
      notes: 'latency = one activation request; CPU per event includes the other services digesting the announcements',
      cpuMsPerOp: bigCpuMs,
      extra: { gatewayTimeouts },
    },
    {
      key: 'activation.parallel-100x24',
      label: `activate ${PARALLEL} contracts of ${SMALL} events at once`,
      throughput: (parEvents / wallMs) * 1000,
      unit: 'events/s',
      count: parEvents,
      durationMs: Math.round(wallMs),
      latencyMs: each.summary(),
      notes: 'latency = one activation request; throughput over the wall time of all 100; CPU per event includes the digestion',
      cpuMsPerOp: parCpuMs,
      extra: { gatewayTimeouts },
    },
  ];
}
