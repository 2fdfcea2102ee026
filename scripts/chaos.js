#!/usr/bin/env node
// `npm run chaos [-- --short] [-- --no-build] [-- --machine-postgres] [-- --workers=n]`
// A fleet under faults: a three-node RabbitMQ cluster, PostgreSQL, two replicas of every app and a fake MSG91/FCM
// under steady load, faults injected one after another (SIGKILL of each replica, loss of the quorum leader node,
// a PostgreSQL restart, a consumer stopped past its lease, a slow provider), then checks that nothing accepted
// was lost or doubled. Results: bench/results/chaos-<timestamp>.json and chaos-latest.json; the table in
// docs/CHAOS.md (full runs). Exits non-zero when a check fails. See docs/CHAOS.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (fs.existsSync(path.join(__dirname, 'lib', 'deps.js'))) require('./lib/deps').ensureDependencies((m) => console.error(`[chaos] ${m}`));

const { Client: PgClient } = require('pg');
const { RabbitCluster } = require('./lib/chaos/rabbit-cluster');
const { OwnPostgres, MachinePostgres } = require('./lib/chaos/postgres');
const { Fleet } = require('./lib/chaos/fleet');
const { Recorder, runLoad, registerTenant } = require('./lib/chaos/load');
const { verify, waitQuiescent } = require('./lib/chaos/verify');
const { windowStats } = require('./lib/chaos/stats');
const { provision, withDatabase } = require('./lib/provision');
const { DEV_JWT_SECRET } = require('./lib/stack');

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data', 'chaos');
// The servers' own data (RabbitMQ nodes, PostgreSQL) belongs to their system users, who must be able to reach it:
// a checkout inside a folder only root may enter (mktemp -d) is not reachable, the system's temp folder is.
const SERVERS = path.join(os.tmpdir(), 'cn-chaos');
const DIST = path.join(ROOT, 'node_modules', '.cache', 'cn-chaos-build');
const RESULTS = path.join(ROOT, 'bench', 'results');
const DOC = path.join(ROOT, 'docs', 'CHAOS.md');
const NAMESPACE = 'chaos';
const DATABASE = 'contractnest_chaos';
// Short enough that a stopped consumer's jobs go to its twin within the run; longer than the provider timeout.
const LEASE_MS = 8000;
const PROVIDER_TIMEOUT_MS = 6000;
const SLOW_PROVIDER_MS = 3000;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};
const SHORT = flag('short');
const started = Date.now();
const log = (m) => console.error(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function compile() {
  const t = Date.now();
  await require('./build').build({ outDir: DIST, console: false });
  // The JTD dispatcher's fake MSG91/FCM (a test helper, not part of the build), compiled beside it.
  const swc = require('@swc/core');
  const src = path.join(ROOT, 'apps', 'jtd-dispatcher', 'test', 'support', 'fake-provider.ts');
  const out = swc.transformFileSync(src, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false });
  fs.mkdirSync(path.join(DIST, 'chaos'), { recursive: true });
  fs.writeFileSync(path.join(DIST, 'chaos', 'fake-provider.js'), out.code);
  log(`built the apps into ${path.relative(ROOT, DIST)}/ in ${Date.now() - t} ms`);
}

/** The fake provider, with a switch that makes every answer wait (the slow-provider fault). */
async function startFakeProvider() {
  const { FakeProvider } = require(path.join(DIST, 'chaos', 'fake-provider.js'));
  const fake = new FakeProvider();
  fake.delayMs = 0;
  const handle = fake.handle.bind(fake);
  fake.handle = async (req, res) => {
    if (fake.delayMs) await sleep(fake.delayMs);
    return handle(req, res);
  };
  await fake.start();
  return fake;
}

function providerRequests(fake) {
  return fake.requests
    .filter((r) => r.path.startsWith('/api/v5/email/send'))
    .map((r) => ({ email: r.body?.recipients?.[0]?.to?.[0]?.email, template: r.body?.template_id, problems: r.problems }));
}

async function sql(url, text, params) {
  const db = new PgClient({ connectionString: url });
  await db.connect();
  try {
    return (await db.query(text, params)).rows;
  } finally {
    await db.end();
  }
}

function faultPlan({ fleet, cluster, pg, fake, databaseUrl }) {
  const kill = (name) => ({
    name: `SIGKILL ${name}`,
    kind: 'app-sigkill',
    async run(f) {
      const r = fleet.byName(name);
      await fleet.kill(r);
      f.note = `killed pid ${r.child.pid}; started again after 3 s`;
      await sleep(3000);
      await fleet.restart(r);
    },
  });
  const leaderLoss = {
    name: 'quorum leader node lost',
    kind: 'broker-node-loss',
    async run(f) {
      const node = (await cluster.quorumLeader(`${NAMESPACE}.`)) ?? cluster.nodes[0];
      const led = (await cluster.queues())
        .filter((q) => q.type === 'quorum' && q.leader === node.node && String(q.name).startsWith(`${NAMESPACE}.`))
        .map((q) => q.name);
      f.note = `stopped ${node.node} (leader of ${led.length} quorum queues: ${led.join(', ')}) for ${SHORT ? 12 : 20} s, then started it again`;
      await cluster.stopNode(node);
      await sleep(SHORT ? 12000 : 20000);
      await cluster.restartNode(node);
      f.leadersAfter = [
        ...new Set((await cluster.queues()).filter((q) => q.type === 'quorum' && String(q.name).startsWith(`${NAMESPACE}.`)).map((q) => q.leader)),
      ];
    },
  };
  const pgRestart = {
    name: 'PostgreSQL restart',
    kind: 'postgres-restart',
    async run(f) {
      const t = Date.now();
      await pg.restart();
      f.note = `${pg.kind}: fast restart took ${Date.now() - t} ms`;
    },
  };
  const stall = {
    name: `consumer stopped past its lease (SIGSTOP jtd-dispatcher-1 ${(LEASE_MS + 6000) / 1000} s)`,
    kind: 'consumer-sigstop',
    async run(f) {
      const r = fleet.byName('jtd-dispatcher-1');
      const held = await sql(databaseUrl, "SELECT count(*)::int AS n FROM jtd.jobs WHERE status_code = 'executing' AND lease_owner LIKE $1", [
        'jtd-dispatcher-1%',
      ]).catch(() => [{ n: null }]);
      fleet.signal(r, 'SIGSTOP');
      await sleep(LEASE_MS + 6000);
      fleet.signal(r, 'SIGCONT');
      f.note = `lease ${LEASE_MS} ms; jobs it held when stopped: ${held[0].n}`;
    },
  };
  const slow = {
    name: `slow provider (${SLOW_PROVIDER_MS / 1000} s per call for 20 s)`,
    kind: 'slow-provider',
    async run(f) {
      fake.delayMs = SLOW_PROVIDER_MS;
      await sleep(20000);
      fake.delayMs = 0;
      f.note = `provider timeout ${PROVIDER_TIMEOUT_MS} ms`;
    },
  };
  if (SHORT) return [kill('events-1'), leaderLoss];
  return [...fleet.replicas.map((r) => kill(r.name)), leaderLoss, pgRestart, stall, slow];
}

function markdownTable(result) {
  const rows = [
    '| fault | client errors | p99 during (ms) | max (ms) | recovered after (s) | component back after (s) | replicas that crashed | note |',
    '|---|---|---|---|---|---|---|---|',
    `| none (baseline) | ${result.baseline.errors} | ${result.baseline.p99Ms ?? '–'} | ${result.baseline.maxMs ?? '–'} | – | – | – | ${result.baseline.perSecond} successful requests/s |`,
  ];
  for (const f of result.faults) {
    const kinds = Object.entries(f.stats.errorsByKind)
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ');
    rows.push(
      `| ${f.name} | ${f.stats.errors}${kinds ? ` (${kinds})` : ''} | ${f.stats.p99Ms ?? '–'} | ${f.stats.maxMs ?? '–'} | ${(f.stats.recoverMs / 1000).toFixed(1)} | ${(f.componentBackMs / 1000).toFixed(1)} | ${(f.unexpectedExits ?? []).map((c) => c.name).join(', ') || 'none'} | ${f.error ? `FAULT FAILED: ${f.error}` : (f.note ?? '')} |`,
    );
  }
  const checks = result.verification.checks.map(
    (c) => `| ${c.ok ? 'ok' : '**FAILED**'} | ${c.name} | ${c.lost} | ${c.doubled} | ${c.problems.length ? c.problems.slice(0, 3).join('; ') : ''} |`,
  );
  return [
    `Run of ${result.startedAt} (${result.variant}, ${result.durationS} s, load average ${result.machine.loadAverageStart.join(' / ')} at the start and ${result.machine.loadAverageEnd.join(' / ')} at the end on ${result.machine.cpus} cores; ${result.load.stories} stories, ${result.load.requests} requests by ${result.load.workers} workers over ${result.load.gateways} gateways). Result: **${result.verification.lost} lost, ${result.verification.doubled} doubled**, ${result.verification.ok ? 'every check passed' : 'some checks FAILED'}.`,
    '',
    ...rows,
    '',
    '| check | name | lost | doubled | problems |',
    '|---|---|---|---|---|',
    ...checks,
  ].join('\n');
}

function writeDocTable(result) {
  if (!fs.existsSync(DOC)) return;
  const text = fs.readFileSync(DOC, 'utf8');
  const start = '<!-- chaos-table:start -->';
  const end = '<!-- chaos-table:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  fs.writeFileSync(DOC, `${text.slice(0, a + start.length)}\n${markdownTable(result)}\n${text.slice(b)}`);
}

async function main() {
  if (flag('help') || flag('h')) {
    console.log('usage: npm run chaos -- [--short] [--no-build] [--machine-postgres] [--workers=n] [--out=file.json] [--keep] [--cleanup]\nSee docs/CHAOS.md.');
    return 0;
  }
  const workers = Number(option('workers', SHORT ? 4 : 6));
  const cluster = new RabbitCluster({ baseDir: path.join(SERVERS, 'rabbit'), log });
  const pg = flag('machine-postgres') ? new MachinePostgres({ log }) : new OwnPostgres({ dir: path.join(SERVERS, 'postgres'), log });
  if (flag('cleanup')) {
    // What a killed run may have left: its broker nodes and its PostgreSQL (apps die with their parent's group).
    cluster.down();
    pg.down();
    log('stopped the chaos broker nodes and PostgreSQL and removed their data (logs stay in .data/chaos/logs)');
    return 0;
  }
  let fleet;
  let fake;
  let load;
  const result = {
    kind: 'chaos',
    variant: SHORT ? 'short' : 'full',
    startedAt: new Date(started).toISOString(),
    machine: { cpus: os.cpus().length, loadAverageStart: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
  };
  let stopped = false;
  const stopEverything = async () => {
    if (stopped) return;
    stopped = true;
    if (load) await load.stop().catch(() => undefined);
    if (fleet) {
      const exits = await fleet.stopAll().catch((e) => [{ error: e.message }]);
      log(`apps stopped: ${exits.map((x) => `${x.name} ${x.signal ?? x.code}`).join(', ')}`);
    }
    if (fake) await fake.stop().catch(() => undefined);
    try {
      cluster.down({ keepData: flag('keep') });
    } catch (e) {
      log(`stopping the RabbitMQ nodes: ${e.message}`);
    }
    try {
      if (!flag('keep')) pg.down();
    } catch (e) {
      log(`stopping PostgreSQL: ${e.message}`);
    }
  };
  cleanup = stopEverything;
  let exitCode = 1;
  try {
    if (!flag('no-build') || !fs.existsSync(path.join(DIST, 'chaos', 'fake-provider.js'))) await compile();
    fs.rmSync(path.join(DATA, 'logs'), { recursive: true, force: true });
    fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
    const amqpUrls = cluster.up();
    await pg.up();
    const databaseUrl = withDatabase(pg.adminUrl, DATABASE);
    await sql(pg.adminUrl, `DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await provision(pg.adminUrl, DATABASE);
    fake = await startFakeProvider();
    log(`fake MSG91/FCM on ${fake.url}`);
    fleet = new Fleet({
      distDir: DIST,
      databaseUrl,
      amqpUrls,
      namespace: NAMESPACE,
      logDir: path.join(DATA, 'logs'),
      log,
      extraEnv: {
        '*': { EVIDENCE_STORAGE_DIR: path.join(DATA, 'evidence'), JWT_SECRET: DEV_JWT_SECRET },
        gateway: { RATE_LIMIT_PER_MINUTE: '100000000' },
        'jtd-dispatcher': { ...fake.env(), PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS), JTD_LEASE_MS: String(LEASE_MS) },
      },
    });
    await fleet.start();
    const gateways = fleet.gateways().map((g) => g.url);
    const tenants = [];
    for (const label of ['A', 'B']) tenants.push(await registerTenant({ gateway: gateways[0], secret: DEV_JWT_SECRET, label }));
    // Seed data caps email at 100 a minute per tenant: the run measures faults, not the cap.
    await sql(databaseUrl, 'UPDATE jtd.channels SET rate_limit_per_minute = 10000000');
    result.cluster = {
      nodes: cluster.nodes.map((n) => ({ node: n.node, amqp: n.port, dist: n.distPort })),
      quorumQueues: (await cluster.queues())
        .filter((q) => q.type === 'quorum' && String(q.name).startsWith(`${NAMESPACE}.`))
        .map((q) => ({ name: q.name, leader: q.leader, members: q.members })),
      classicQueuePolicy: 'ha-mode all, ha-sync-mode automatic (policy chaos-ha)',
    };
    result.postgres = pg.kind;
    result.fleet = fleet.replicas.map((r) => ({ name: r.name, port: r.port, amqpFirst: r.env.AMQP_URL.split(',')[0] }));

    const recorder = new Recorder();
    load = runLoad({ tenants, gateways, workers, recorder, log });
    log(`load: ${workers} workers, ${tenants.length} tenants, gateways ${gateways.join(' ')}`);
    const baselineFrom = Date.now();
    await sleep(SHORT ? 10000 : 25000);
    result.baseline = windowStats(recorder.attempts, baselineFrom, Date.now());
    log(`baseline: ${JSON.stringify(result.baseline)}`);

    result.faults = [];
    const settleMs = SHORT ? 8000 : 12000;
    for (const plan of faultPlan({ fleet, cluster, pg, fake, databaseUrl })) {
      const f = { name: plan.name, kind: plan.kind, at: new Date().toISOString() };
      const from = Date.now();
      log(`fault: ${plan.name}`);
      try {
        await plan.run(f);
      } catch (e) {
        f.error = e.message;
        log(`fault ${plan.name} failed: ${e.message}`);
      }
      f.componentBackMs = Date.now() - from;
      await sleep(settleMs);
      f.unexpectedExits = fleet.crashes.filter((c) => Date.parse(c.at) >= from);
      f.windowMs = Date.now() - from;
      f.stats = windowStats(recorder.attempts, from, Date.now());
      log(`  ${JSON.stringify({ ...f.stats, componentBackMs: f.componentBackMs, note: f.note })}`);
      result.faults.push(f);
    }

    log('stopping the load');
    const stories = await load.stop();
    load = undefined;
    const attempts = recorder.attempts;
    const stepOutcomes = {};
    for (const s of stories) for (const [k, v] of Object.entries(s.steps)) stepOutcomes[`${k}:${v}`] = (stepOutcomes[`${k}:${v}`] ?? 0) + 1;
    result.load = {
      workers,
      tenants: tenants.length,
      gateways: gateways.length,
      stories: stories.length,
      requests: attempts.filter((a) => a.op !== 'lookup').length,
      lookups: attempts.filter((a) => a.op === 'lookup').length,
      stepOutcomes,
      // A definite refusal (4xx) of a step, with why: the story stops there.
      rejections: stories.filter((s) => s.rejection).map((s) => s.rejection),
      overall: windowStats(attempts, started, Date.now()),
    };
    log(`load: ${stories.length} stories, ${result.load.requests} requests; outcomes ${JSON.stringify(stepOutcomes)}`);

    log('waiting until the backlog is digested (outboxes, JTD jobs, queues)');
    result.quiescence = await waitQuiescent({ databaseUrl, cluster, namespace: NAMESPACE, timeoutMs: SHORT ? 120000 : 240000, log });
    log(`quiescent after ${result.quiescence.ms} ms${result.quiescence.timedOut ? ` (TIMED OUT: ${JSON.stringify(result.quiescence.pending)})` : ''}`);
    result.verification = await verify({ databaseUrl, stories, providerRequests: providerRequests(fake), cluster, namespace: NAMESPACE });
    result.verification.malformedProviderRequests = providerRequests(fake).filter((p) => p.problems.length).length;
    for (const c of result.verification.checks)
      log(
        `${c.ok ? 'ok    ' : 'FAILED'} ${c.name}${c.lost || c.doubled ? ` (lost ${c.lost}, doubled ${c.doubled})` : ''}${c.problems.length ? `: ${c.problems.slice(0, 3).join('; ')}` : ''}`,
      );
    // A replica that crashed is restarted and reported; the verdict is about effects lost or doubled.
    result.unexpectedExits = fleet.crashes;
    for (const c of fleet.crashes) log(`WARNING ${c.name} exited on its own at ${c.at}: ${c.cause.slice(0, 300)}`);
    const faultsFailed = result.faults.filter((f) => f.error);
    exitCode = result.verification.ok && !result.quiescence.timedOut && faultsFailed.length === 0 ? 0 : 1;
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
    log(`failed: ${result.error}`);
  } finally {
    await stopEverything();
  }
  result.finishedAt = new Date().toISOString();
  result.durationS = Math.round((Date.now() - started) / 1000);
  result.machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  result.ok = exitCode === 0;
  fs.mkdirSync(RESULTS, { recursive: true });
  const stamp = result.startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const out = option('out', path.join(RESULTS, `chaos-${stamp}${SHORT ? '-short' : ''}.json`));
  const json = `${JSON.stringify(result, null, 2)}\n`;
  fs.writeFileSync(out, json);
  if (!option('out')) fs.writeFileSync(path.join(RESULTS, 'chaos-latest.json'), json);
  if (!SHORT && result.verification && !option('out')) writeDocTable(result);
  log(
    `result: ${path.relative(ROOT, out)} — ${result.verification ? `${result.verification.lost} lost, ${result.verification.doubled} doubled` : 'no verification'}; exit ${exitCode}`,
  );
  return exitCode;
}

// Ctrl-C or SIGTERM: stop every process and node this run started, then exit.
let cleanup;
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${sig}: stopping what this run started (again to exit at once)`);
    Promise.resolve(cleanup?.())
      .catch((e) => log(`cleanup: ${e.message}`))
      .finally(() => process.exit(130));
  });
}

main()
  .then((code) => process.exit(interrupted ? 130 : code))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
