// `npm start`: the whole system from a fresh clone. Installs dependencies if missing, brings PostgreSQL
// and RabbitMQ up (reusing running ones), provisions the `contractnest` database (one schema and role per
// service), builds (the apps and the operations console), starts the four apps (each runs its own migrations at boot), waits until all are
// ready and prints where to go. Ctrl-C / SIGTERM stops every app cleanly, then whatever server this run
// itself started.
const { ensureDependencies } = require('./lib/deps');

ensureDependencies((m) => console.error(`[start] ${m}`));

const path = require('node:path');
const { ensureInfrastructure } = require('./lib/infra');
const { stopStartedInfrastructure } = require('./lib/infra-stop');
const { provision } = require('./lib/provision');
const { build } = require('./build');
const { startStack, DEV_JWT_SECRET } = require('./lib/stack');
const { SERVICES } = require('../libs/dev/services');
const { signDevToken } = require('../libs/dev/dev-token');

const DATABASE = process.env.CN_DATABASE || 'contractnest';
// Tests of this script build elsewhere so a running `npm start` keeps its dist/.
const DIST = process.env.CN_DIST_DIR ? path.resolve(process.env.CN_DIST_DIR) : path.join(__dirname, '..', 'dist');
const log = (m) => console.error(`[start] ${m}`);

const DEV_TENANT = '11111111-1111-4111-8111-111111111111';
const DEV_USER = '22222222-2222-4222-8222-222222222222';

/** A token for the development tenant, valid 12 h: the admin's by default. */
async function devToken(roles = ['admin'], name = 'Dev Admin') {
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  const claims = { tenantId: DEV_TENANT, userId: DEV_USER, roles, name, secret, ttlSeconds: 12 * 3600 };
  return signDevToken(claims);
}

/**
 * The gateway serves only registered tenants, so the printed token needs its tenant in the registry:
 * registered as a platform admin would, once per database (409 on later starts means it is there).
 */
async function registerDevTenant(gateway) {
  const token = await devToken(['platform_admin'], 'Dev Platform Admin');
  const res = await fetch(`${gateway}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: DEV_TENANT, name: 'Development tenant', timezone: 'Asia/Kolkata' }),
  });
  if (res.status === 201) log(`registered the development tenant ${DEV_TENANT}`);
  else if (res.status !== 409) log(`could not register the development tenant (${res.status} ${await res.text()}); its token will get 403 TENANT_UNKNOWN`);
}

let infra;
let stopApps;
let stopping = false;

/** Stops the apps (if any run yet), then the servers this run started; exits 0 only if all apps did. */
async function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping the apps …`);
  const results = stopApps ? await stopApps() : [];
  for (const r of results) log(`${r.name} exited (${r.signal ?? `code ${r.code}`})`);
  stopStartedInfrastructure(infra, log);
  process.exit(results.every((r) => r.code === 0) && reason !== 'app exit' ? 0 : 1);
}

async function main() {
  const started = Date.now();
  // Ctrl-C in a terminal signals the apps too (same process group); they shut down once either way.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  infra = await ensureInfrastructure(log);
  log(`PostgreSQL: ${infra.postgres}; RabbitMQ: ${infra.rabbitmq}`);
  await provision(infra.databaseUrl, DATABASE);
  await build({ log, outDir: DIST });
  if (stopping) return;
  const portOffset = Number(process.env.HTTP_PORT_OFFSET || 0);

  const stack = await startStack({
    adminUrl: infra.databaseUrl,
    amqpUrl: infra.amqpUrl,
    database: DATABASE,
    distDir: DIST,
    portOffset,
    log,
    onLaunched: (stop) => (stopApps = stop),
  }).catch((e) => {
    // A signal during start-up already stops the apps; the readiness wait then fails on its own.
    if (stopping) return undefined;
    throw e;
  });
  if (!stack || stopping) return;
  for (const app of stack.apps) {
    app.exited.then((info) => {
      if (!stopping) {
        log(`${app.service.name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); stopping the rest`);
        void shutdown('app exit');
      }
    });
  }

  const gateway = stack.apps.find((a) => a.service.name === 'gateway').url;
  await registerDevTenant(gateway).catch((e) => log(`could not register the development tenant (${e.message})`));
  const token = await devToken();
  const lines = [
    '',
    `ContractNest Ops is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    `  Gateway:   ${gateway}/v1`,
    `  Console:   ${gateway}/console/#token=${token}`,
    `  OpenAPI:   ${gateway}/docs   (JSON: ${gateway}/docs/openapi.json)`,
    `  Health:    ${SERVICES.map((s) => `${s.name} :${s.port + portOffset}`).join(', ')}  (/health/ready, /metrics)`,
    '',
    `  Development token (tenant ${DEV_TENANT}, role admin, 12 h; more with \`npm run token\`):`,
    `  ${token}`,
    '',
    `  Try: curl -H "Authorization: Bearer <token>" ${gateway}/v1/system/status`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  log(e.message);
  stopStartedInfrastructure(infra, log);
  process.exit(1);
});
