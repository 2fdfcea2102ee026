import { runAutocannonLoad } from '../lib/autocannon-load';
import { BenchContext } from '../lib/context';
import { msSince, sleep } from '../lib/latency';
import { pace, PacedOutcome, PacedStats, timed } from '../lib/paced-load';
import { rssMb, waitForQuiet } from '../lib/proc-stats';
import { Measurement } from '../lib/result';
import { loopDelay, queueDepths } from '../lib/soak-probes';
import { rssSlopes, SoakReport, SoakSample, SoakStream } from '../lib/soak-report';
import { materialised } from './activation.scenario';
import { activateContract, createContract } from './contracts';
import { prepareToggle, toggleAnswer, toggleRequest } from './transition.scenario';

/**
 * The soak asks for half of what the machine did: each stream runs at its share × 50 % of the capacity
 * measured for it alone, so together they ask for about half the CPU the scenarios used (they share it).
 */
const LOAD = 0.5;
const MIX: Record<SoakStream, number> = { read: 0.6, transition: 0.3, activation: 0.1 };
/** Events toggled by the soak, apart from the transition scenario's (the last `connections` of the seed). */
const TOGGLE_POOL = 64;
const VISITS = 24;
const MAX_ACTIVATIONS_IN_FLIGHT = 2;
/** events/s when this run measured no activation (about the last full run's 100 × 24 figure). */
const ACTIVATION_FALLBACK = 1000;
const MINUTE_MS = 60000;
const IDLE_WINDOW_MS = 5000;

/**
 * A steady mixed load (reads, transitions, activations of 24-visit contracts) at half of the capacity
 * measured earlier in the same run, for `--soak-minutes`, sampling every minute each app's RSS and
 * event-loop delay and the namespace's queue depths; reports the samples and an RSS slope per app.
 * Capacities not measured earlier in the run (`--only=soak`) are probed first with autocannon (quick).
 */
export async function soakScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const gw = b.gateway!;
  const headers = { authorization: `Bearer ${seed.adminToken}` };
  const n = b.opts.connections;
  const poolIds = seed.eventIds.slice(-(n + TOGGLE_POOL), -n);
  const toggle = await prepareToggle(b, poolIds);
  const pool = toggle.events;
  const extra: Measurement[] = [];

  const capacity = async (key: string, probe: () => Promise<Measurement>) => {
    const known = b.measured[key];
    if (known && known.throughput > 0) return { value: known.throughput, source: `${key}, earlier in this run` };
    b.log(`soak: ${key} not measured in this run, probing it (autocannon, 1 s + 4 s)`);
    const m = await probe();
    extra.push({ ...m, key: `soak.capacity.${key}`, label: `capacity probe: ${m.label}` });
    return { value: m.throughput, source: `probe before the soak (soak.capacity.${key})` };
  };
  const probeOpts = { client: gw, connections: n, warmupMs: 1000, durationMs: 4000 };
  let r = 0;
  const readCap = await capacity('gateway.read-event', () =>
    runAutocannonLoad({ ...probeOpts, key: 'gateway.read-event', label: 'GET /v1/events/{id}', next: () => readSpec(r++) }),
  );
  const probed = pool.slice(0, n);
  const moveCap = await capacity('gateway.transition', () =>
    runAutocannonLoad({
      ...probeOpts,
      key: 'gateway.transition',
      label: 'POST /v1/events/{id}/transitions',
      next: (conn) => toggleRequest(probed[conn], toggle.pair, headers),
      onResponse: (conn, spec, res) => toggleAnswer(probed[conn], spec, res),
      onReconnect: (conn) => {
        probed[conn].resync = true;
      },
    }),
  );
  // Autocannon dropped the probe's last answers: those events are re-read before they move again.
  for (const s of probed) s.resync = true;
  const activationKey = ['activation.parallel-100x24', 'activation.single-1000'].find((k) => b.measured[k]?.throughput);
  const actCap = activationKey
    ? { value: b.measured[activationKey].throughput, source: `${activationKey}, earlier in this run` }
    : { value: ACTIVATION_FALLBACK, source: 'no activation measured in this run: a fixed 1,000 events/s' };

  const streams: SoakReport['streams'] = {
    read: {
      share: MIX.read,
      rate: LOAD * MIX.read * readCap.value,
      unit: 'req/s',
      capacity: readCap.value,
      capacityUnit: 'req/s',
      capacitySource: readCap.source,
    },
    transition: {
      share: MIX.transition,
      rate: LOAD * MIX.transition * moveCap.value,
      unit: 'req/s',
      capacity: moveCap.value,
      capacityUnit: 'req/s',
      capacitySource: moveCap.source,
    },
    activation: {
      share: MIX.activation,
      rate: (LOAD * MIX.activation * actCap.value) / VISITS,
      unit: `contracts of ${VISITS} visits/s`,
      capacity: actCap.value,
      capacityUnit: 'events/s',
      capacitySource: actCap.source,
    },
  };

  function readSpec(i: number) {
    return { method: 'GET', path: `/v1/events/${seed.eventIds[i % seed.eventIds.length]}`, headers };
  }
  let readNo = 0;
  const read = () =>
    timed(async () => {
      const res = await gw.request(readSpec(readNo++));
      return res.status >= 200 && res.status < 300 ? true : `${res.status} ${res.body.slice(0, 160)}`;
    });
  // One request in flight per event (each move sends the version of the previous answer): a move starts
  // on the next idle event of the pool, or is missed when all are busy.
  const busy = new Set<number>();
  let nextEvent = 0;
  const move = (): Promise<PacedOutcome> | undefined => {
    const i = Array.from({ length: pool.length }, (_, k) => (nextEvent + k) % pool.length).find((k) => !busy.has(k));
    if (i === undefined) return undefined;
    busy.add(i);
    nextEvent = i + 1;
    const s = pool[i];
    return timed(async () => {
      const spec = toggleRequest(s, toggle.pair, headers);
      const res = await gw.request(spec).catch((e: unknown) => {
        s.stale = true;
        throw e;
      });
      const verdict = toggleAnswer(s, spec, res);
      return verdict === 'skip' ? 'skip' : verdict ? true : `${res.status} ${res.body.slice(0, 160)}`;
    }).finally(() => busy.delete(i));
  };
  let activating = 0;
  const activate = (): Promise<PacedOutcome> | undefined => {
    if (activating >= MAX_ACTIVATIONS_IN_FLIGHT) return undefined;
    activating++;
    return (async (): Promise<PacedOutcome> => {
      const id = await createContract(b, seed.adminToken, VISITS, 'BENCH-SOAK');
      const t0 = process.hrtime.bigint();
      const answer = await activateContract(b, seed.adminToken, id);
      const ms = msSince(t0);
      // The cockpit, after the soak, tops the tenant up to --cockpit-events counting these.
      seed.eventsInTenant += materialised(answer, VISITS);
      seed.contractIds.push(id);
      return { ok: true, ms };
    })().finally(() => activating--);
  };

  const stats: Record<SoakStream, PacedStats> = { read: new PacedStats(), transition: new PacedStats(), activation: new PacedStats() };
  const sample = async (minute: number, withLoad: boolean): Promise<SoakSample> => {
    const load = withLoad ? { read: stats.read.take(), transition: stats.transition.take(), activation: stats.activation.take() } : undefined;
    const [loops, queues] = await Promise.all([
      Promise.all(b.apps.map(async (a) => [a.name, await loopDelay(a.port)] as const)),
      queueDepths(b.amqpUrl, b.namespace).catch((e: unknown): Record<string, number> => {
        b.log(`soak: queue depths: ${(e as Error).message}`);
        return {};
      }),
    ]);
    return {
      minute,
      at: new Date().toISOString(),
      rssMb: Object.fromEntries(b.apps.map((a) => [a.name, rssMb(a.pid)])),
      loopDelayMs: Object.fromEntries(loops),
      queues,
      queuedTotal: Object.values(queues).reduce((x, y) => x + y, 0),
      load,
    };
  };

  const minutes = b.opts.soakMinutes;
  // Minute 0 is the idle floor: once the apps have digested what came before (the probes' messages), a
  // scrape resets their event-loop histograms, and the sample covers the next 5 quiet seconds.
  await waitForQuiet(
    b.apps.map((a) => a.pid),
    { timeoutMs: 30000 },
  );
  // A consumer starved of CPU can look quiet with a backlog: wait for the queues too (up to 30 s).
  for (const until = Date.now() + 30000; Date.now() < until; await sleep(1000)) {
    const depths = await queueDepths(b.amqpUrl, b.namespace).catch(() => ({}));
    if (Object.values(depths).every((d) => d === 0)) break;
  }
  await Promise.all(b.apps.map((a) => loopDelay(a.port)));
  await sleep(IDLE_WINDOW_MS);
  const samples = [await sample(0, false)];
  b.log(
    `soak: ${minutes} min at ${streams.read.rate.toFixed(1)} reads/s, ${streams.transition.rate.toFixed(1)} moves/s, ${streams.activation.rate.toFixed(2)} activations/s`,
  );
  const startedAt = Date.now();
  const endAt = startedAt + minutes * MINUTE_MS;
  for (const k of Object.keys(stats) as SoakStream[]) stats[k].take();
  const over = () => Date.now() >= endAt;
  const loads = Promise.all([
    pace(streams.read.rate, over, read, stats.read),
    pace(streams.transition.rate, over, move, stats.transition),
    pace(streams.activation.rate, over, activate, stats.activation),
  ]);
  for (let m = 1; m <= minutes; m++) {
    await sleep(Math.max(0, startedAt + m * MINUTE_MS - Date.now()));
    samples.push(await sample(m, true));
    const last = samples[samples.length - 1];
    b.log(`soak: minute ${m}: RSS ${JSON.stringify(last.rssMb)} MB, ${last.queuedTotal} queued`);
  }
  await loads;
  const soakMs = Date.now() - startedAt;
  b.soak = { minutes, streams, samples, rssSlopeMbPerMin: rssSlopes(samples, minutes) };

  const measured = (k: SoakStream, label: string, unit: string): Measurement => {
    const st = stats[k];
    const summary = st.summary();
    return {
      key: `soak.${k}`,
      label,
      throughput: (summary.count / soakMs) * 1000,
      unit,
      count: summary.count,
      durationMs: soakMs,
      latencyMs: summary,
      errors: st.errors,
      errorSamples: st.errorSamples.length ? st.errorSamples : undefined,
      extra: { offeredPerSecond: streams[k].rate, missed: st.missed },
    };
  };
  return [
    ...extra,
    measured('read', `paced GET /v1/events/{id} for ${minutes} min`, 'req/s'),
    measured('transition', `paced transitions over ${pool.length} events for ${minutes} min`, 'req/s'),
    measured('activation', `paced activations of ${VISITS} visits (latency: activate only)`, 'contracts/s'),
  ];
}
