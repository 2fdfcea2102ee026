import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpBaseline } from './baselines/http.baseline';
import { postgresBaseline } from './baselines/postgres.baseline';
import { rabbitmqBaseline } from './baselines/rabbitmq.baseline';
import { LOAD_GENERATORS, LoadGenerator } from './lib/autocannon-load';
import { deleteNamespace } from './lib/broker-cleanup';
import { BenchContext, BenchOptions } from './lib/context';
import { round } from './lib/latency';
import { waitForQuiet, RssSampler } from './lib/proc-stats';
import { evaluateGoals, MemoryReport, renderTables } from './lib/report';
import { infra, provisioning, ROOT, stopStartedInfrastructure } from './lib/repo';
import { Measurement, NotAvailable, ScenarioResult } from './lib/result';
import { startStack, stopStack } from './lib/service-stack';
import { tail } from './lib/stack';
import { activationScenario } from './scenarios/activation.scenario';
import { backboneScenario } from './scenarios/backbone.scenario';
import { cockpitScenario } from './scenarios/cockpit.scenario';
import { startFakeProvider } from './scenarios/fake-provider';
import { jtdPipelineScenario } from './scenarios/jtd-pipeline.scenario';
import { readEventScenario } from './scenarios/read-event.scenario';
import { seedTenant } from './scenarios/seed';
import { soakScenario } from './scenarios/soak.scenario';
import { streamScenario } from './scenarios/stream.scenario';
import { transitionScenario } from './scenarios/transition.scenario';

interface Scenario {
  name: string;
  kind: 'baseline' | 'service';
  /** What must exist first: the running stack, or the stack and the seeded tenant. */
  needs?: 'stack' | 'seed';
  /** Longer than the default cut-off (the soak runs for its minutes). */
  limitMs?: (o: BenchOptions) => number;
  run(b: BenchContext): Promise<Measurement[]>;
}

const BASELINES: Scenario[] = [
  { name: 'raw-http', kind: 'baseline', run: httpBaseline },
  { name: 'raw-rabbitmq', kind: 'baseline', run: rabbitmqBaseline },
  { name: 'raw-postgres', kind: 'baseline', run: postgresBaseline },
];

/**
 * In this order: the soak runs at half of the capacities measured before it; the cockpit seeds 100,000
 * events, so it runs last.
 */
const SERVICE_SCENARIOS: Scenario[] = [
  { name: 'read-event', kind: 'service', needs: 'seed', run: readEventScenario },
  { name: 'transition', kind: 'service', needs: 'seed', run: transitionScenario },
  { name: 'activation', kind: 'service', needs: 'seed', run: activationScenario },
  { name: 'backbone', kind: 'service', run: backboneScenario },
  { name: 'jtd-pipeline', kind: 'service', needs: 'seed', run: jtdPipelineScenario },
  { name: 'stream', kind: 'service', needs: 'seed', run: streamScenario },
  { name: 'soak', kind: 'service', needs: 'seed', limitMs: (o) => o.soakMinutes * 60000 + 300000, run: soakScenario },
  { name: 'cockpit', kind: 'service', needs: 'seed', run: cockpitScenario },
];

const FLAGS = ['quick', 'trial', 'no-build'];
const VALUES = ['warmup', 'duration', 'connections', 'cockpit-events', 'big-activations', 'only', 'skip', 'generator', 'soak-minutes'];
const SCENARIO_NAMES = () => [...BASELINES, ...SERVICE_SCENARIOS].map((s) => s.name);

const profiledApps = () => (process.env.BENCH_CPU_PROF ?? '').split(',').map((n) => n.trim());

class UsageError extends Error {
  override name = 'UsageError';
}

/** Refuses what it does not know: a typo must not start a 15-minute full run. */
export function parseOptions(argv: string[]): BenchOptions {
  for (const a of argv) {
    const [name, v] = a.replace(/^--/, '').split('=');
    const ok = a.startsWith('--') && (v === undefined ? FLAGS.includes(name) : VALUES.includes(name));
    if (!ok) throw new UsageError(`unknown option ${a} (flags: ${FLAGS.map((f) => `--${f}`).join(' ')}; values: ${VALUES.map((f) => `--${f}=`).join(' ')})`);
    if ((name === 'only' || name === 'skip') && v) {
      const unknown = v.split(',').filter((n) => !SCENARIO_NAMES().includes(n.trim()));
      if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')} (scenarios: ${SCENARIO_NAMES().join(', ')})`);
    } else if (name === 'generator') {
      if (!LOAD_GENERATORS.includes(v as LoadGenerator)) throw new UsageError(`${a}: expected one of ${LOAD_GENERATORS.join(', ')}`);
    } else if (v !== undefined && !(Number(v) > 0)) throw new UsageError(`${a}: expected a positive number`);
  }
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name: string) =>
    value(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const quick = flag('quick');
  const num = (name: string, dflt: number) => (value(name) !== undefined ? Number(value(name)) : dflt);
  return {
    quick,
    trial: flag('trial'),
    // 20 s: on 2 cores V8 was still optimising a scenario's code path for its first ~15 s (perf: 20 % of the
    // events app's CPU in TurboFan 5-13 s into the transition scenario, 0.4 % 40 s in; BENCHMARKS.md).
    warmupMs: num('warmup', quick ? 1 : 20) * 1000,
    durationMs: num('duration', quick ? 4 : 15) * 1000,
    connections: num('connections', 10),
    cockpitEvents: num('cockpit-events', quick ? 10000 : 100000),
    bigActivations: num('big-activations', quick ? 2 : 5),
    only: list('only'),
    skip: list('skip') ?? [],
    generator: (value('generator') as LoadGenerator | undefined) ?? 'autocannon',
    soakMinutes: num('soak-minutes', 30),
  };
}

function selected(o: BenchOptions, name: string): boolean {
  if (o.only && !o.only.includes(name)) return false;
  // Half an hour by default: full runs only, unless asked for by name.
  if (name === 'soak' && o.quick && !o.only?.includes('soak')) return false;
  return !o.skip.includes(name);
}

async function runScenario(b: BenchContext, s: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  const base = { name: s.name, kind: s.kind, measurements: [] as Measurement[], startedAt: new Date(started).toISOString() };
  if (s.needs && b.stackError) return { ...base, status: 'not available', reason: `the stack did not start: ${b.stackError.split('\n')[0]}`, wallMs: 0 };
  if (s.needs === 'seed' && !b.seed) return { ...base, status: 'not available', reason: `seeding failed: ${b.seedError ?? 'no tenant'}`, wallMs: 0 };
  b.log(`scenario ${s.name}`);
  b.rss.begin();
  try {
    // A scenario that hangs (a broker restarted under it, a stuck shutdown) must not hold the whole run.
    const limitMs = s.limitMs?.(b.opts) ?? (b.opts.quick ? 240000 : 1200000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs / 1000} s`)), limitMs);
    });
    const measurements = await Promise.race([s.run(b), timeout]).finally(() => clearTimeout(timer));
    for (const m of measurements) b.measured[m.key] = m;
    const soak = s.name === 'soak' ? b.soak : undefined;
    return { ...base, status: 'ok', measurements, rss: b.rss.end(), wallMs: Date.now() - started, ...(soak ? { soak } : {}) };
  } catch (e) {
    const rss = b.rss.end();
    if (e instanceof NotAvailable) return { ...base, status: 'not available', reason: e.message, rss, wallMs: Date.now() - started };
    const crashed = b.apps.filter((a) => a.exited).map((a) => `${a.name} ${a.exited}: ${tail(a.logFile, 5)}`);
    const reason = [(e as Error).message, ...crashed].join(' | ');
    b.log(`scenario ${s.name} failed: ${reason}`);
    return { ...base, status: 'error', reason, rss, wallMs: Date.now() - started };
  }
}

function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'bench', 'scripts'], { cwd: ROOT, encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

export async function main(argv: string[], distDir: string): Promise<number> {
  const opts = parseOptions(argv);
  const startedAt = new Date();
  const loadAtStart = os.loadavg().map((x) => round(x));
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const id = `${stamp.toLowerCase().replace('-', '_')}_${randomBytes(2).toString('hex')}`;
  const logDir = path.join(os.tmpdir(), `cn-bench-${id}`);
  mkdirSync(logDir, { recursive: true });
  const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

  const infrastructure = await infra().ensureInfrastructure((m) => log(`infra: ${m}`));
  const { databaseUrl: adminUrl, amqpUrl } = infrastructure;
  const { provision, dropDatabase, withDatabase } = provisioning();
  const database = `cn_bench_${id}`;
  log(`provisioning database ${database}, broker namespace bench${id.replace(/_/g, '')}, logs in ${logDir}`);
  await provision(adminUrl, database);
  const dbUrl = withDatabase(adminUrl, database);
  const appDb = new URL(dbUrl);
  appDb.username = '';
  appDb.password = '';

  const b: BenchContext = {
    opts,
    adminUrl,
    distDir,
    logDir,
    databaseUrl: dbUrl,
    appDatabaseUrl: appDb.toString(),
    database,
    amqpUrl,
    namespace: `bench${id.replace(/_/g, '')}`,
    rss: undefined as unknown as RssSampler,
    extraPids: {},
    apps: [],
    measured: {},
    jwtSecret: `bench-${randomBytes(24).toString('hex')}`,
    log,
  };
  b.rss = new RssSampler(() => ({ ...Object.fromEntries(b.apps.map((a) => [a.name, a.pid])), ...b.extraPids }));
  b.rss.start();

  const results: ScenarioResult[] = [];
  const memory: MemoryReport = { idleMb: {}, peakMb: {}, endMb: {} };
  let stopFake: (() => Promise<void>) | undefined;
  let providerEnv: Record<string, string> = {};
  let tornDown: Promise<void> | undefined;
  // Once only, also on Ctrl-C: stop the apps, then drop the database and the namespace's queues.
  const tearDown = () =>
    (tornDown ??= (async () => {
      b.rss.stop();
      await stopStack(b).catch((e) => log(`stopping the stack: ${(e as Error).message}`));
      await stopFake?.().catch(() => undefined);
      const removed = await deleteNamespace(amqpUrl, b.namespace).catch((e) => (log(`broker cleanup: ${(e as Error).message}`), undefined));
      await dropDatabase(adminUrl, database).catch((e) => log(`dropping ${database}: ${(e as Error).message}`));
      log(`torn down (database dropped${removed ? `, ${removed.queues} queues and ${removed.exchanges} exchanges deleted` : ''})`);
      stopStartedInfrastructure(infrastructure, log);
    })());
  const interrupted = () => {
    log('interrupted: tearing down');
    void tearDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const s of BASELINES) if (selected(opts, s.name)) results.push(await runScenario(b, s));

    const wantServices = SERVICE_SCENARIOS.some((s) => selected(opts, s.name));
    if (wantServices) {
      try {
        if (selected(opts, 'jtd-pipeline')) {
          const fake = await startFakeProvider(b);
          stopFake = () => fake.stop();
          b.fakeProviderUrl = fake.url;
          providerEnv = fake.env();
        }
        log('starting the stack (gateway, events, tickets, jtd-dispatcher)');
        b.apps = await startStack(b, { 'jtd-dispatcher': providerEnv });
        const quiet = await waitForQuiet(
          b.apps.map((a) => a.pid),
          { timeoutMs: 20000 },
        );
        memory.idleMb = Object.fromEntries(Object.entries(b.rss.now()).filter(([k]) => b.apps.some((a) => a.name === k)));
        log(`stack up (idle RSS ${JSON.stringify(memory.idleMb)} MB${quiet.quiet ? '' : ', not quiet after 20 s'})`);
      } catch (e) {
        b.stackError = (e as Error).message;
        log(`stack did not start: ${b.stackError}`);
      }
      if (!b.stackError && SERVICE_SCENARIOS.some((s) => s.needs === 'seed' && selected(opts, s.name))) {
        try {
          b.seed = await seedTenant(b);
          // The other services digest the seed's announcements (its 1,000 events): not on the first scenario's time.
          const digested = await waitForQuiet(
            b.apps.map((a) => a.pid),
            { timeoutMs: opts.quick ? 10000 : 30000 },
          );
          log(`seeded tenant ${b.seed.tenantId} (${b.seed.eventIds.length} events to read and move${digested.quiet ? '' : '; apps not quiet yet'})`);
        } catch (e) {
          b.seedError = (e as Error).message;
          log(`seeding failed: ${b.seedError}`);
        }
      }
      for (const s of SERVICE_SCENARIOS) {
        if (!selected(opts, s.name)) continue;
        results.push(await runScenario(b, s));
        if (b.apps.length && results[results.length - 1].status === 'ok')
          await waitForQuiet(
            b.apps.map((a) => a.pid),
            { timeoutMs: opts.quick ? 5000 : 30000 },
          );
      }
      const appNames = b.apps.map((a) => a.name);
      memory.endMb = Object.fromEntries(Object.entries(b.rss.now()).filter(([k]) => appNames.includes(k)));
      for (const app of appNames) {
        const peaks = results.map((r) => r.rss?.[app]?.peakMb).filter((x): x is number => Number.isFinite(x));
        memory.peakMb[app] = peaks.length ? Math.max(...peaks) : memory.endMb[app];
      }
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await tearDown();
  }
  const goals = evaluateGoals(results, memory);
  process.stdout.write(renderTables(results, goals, memory));
  const report = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    trial: opts.trial,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemMb: Math.round(os.totalmem() / 2 ** 20),
      loadAvgAtStart: loadAtStart,
      loadAvgAtEnd: os.loadavg().map((x) => round(x)),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    infrastructure: { postgres: infrastructure.postgres, rabbitmq: infrastructure.rabbitmq },
    git: gitInfo(),
    options: opts,
    scenarios: results,
    memory,
    goals,
    logDir,
    // Where BENCH_CPU_PROF's profiles are and when their apps started: `npm run flame -- --result=<this file>
    // --scenario=<name>` keeps the samples of that scenario only (a profile covers the app's whole life).
    profiles: b.apps
      .filter((a) => profiledApps().includes(a.name))
      .map((a) => ({ app: a.name, dir: path.join(logDir, `cpu-prof-${a.name}`), spawnedAt: new Date(a.spawnedAt).toISOString() })),
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const suffix = opts.trial ? '.tmp.json' : '.json';
  const file = path.join(outDir, `${stamp}${suffix}`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(path.join(outDir, `latest${suffix}`), JSON.stringify(report, null, 2) + '\n');
  log(`results: ${path.relative(ROOT, file)} (app logs in ${logDir})`);
  return results.some((r) => r.kind === 'baseline' && r.status === 'error') ? 1 : 0;
}
