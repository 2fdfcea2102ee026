// Runs the four built apps as child processes, each with its own environment (its own database role, its
// own HTTP port), waits until every one reports ready, and stops them all on request.
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { SERVICES, rolePassword } = require('../../libs/dev/services');
const { withDatabase } = require('./provision');
const { DEV_JWT_SECRET } = require('../../libs/dev/dev-token');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Node options an app runs with (`npm start`, the bench, the chaos fleet; the Dockerfile repeats them). A
 * semi-space (half of V8's young generation) of at most 4 MB instead of the default 16: start-up (module
 * loading, DI, metadata) grows the young generation to its maximum, and V8 keeps it committed until its
 * memory reducer shrinks it, about 35 s after start-up; an app measured idle before that carries 24 MB more. Request garbage is short-lived, so smaller scavenges cost no measurable CPU
 * per request (read-event: same CPU per request with 4 and 16 MB).
 * The dispatcher is the exception (SEMI_SPACE_MB): its garbage is not short-lived. A burst holds a few hundred
 * jobs in flight across provider calls and database round trips; with 4 MB they survive two scavenges and are
 * promoted, and the collections took a quarter of its CPU. With 8 MB the live burst used 0.54 instead of 0.59
 * ms of its CPU per job (BENCHMARKS.md, tenth round), for about 6 MB more RSS right after start-up and none once
 * the reducer ran (measured with 16 MB).
 * An old generation of at most 192 MB: V8 sizes it from the machine (about 4 GB here), so it let an app's
 * heap grow to ~3.6× what was live before collecting (the events app peaked at 280–337 MB with ~42 MB live
 * after a full collection). Every app's work is bounded now (activations are written in chunks of 250
 * events), so the cap costs collections, not crashes: the events app peaked at 140 MB through 45 s of
 * 2,500-event activations with a 160 MB cap. Keep it below the container's memory limit (deploy/kubernetes: 512Mi).
 */
const SEMI_SPACE_MB = { 'jtd-dispatcher': 8 };
function appNodeArgs(name) {
  return [`--max-semi-space-size=${SEMI_SPACE_MB[name] ?? 4}`, '--max-old-space-size=192'];
}

/** The environment one app gets; `shared` holds what every app gets (URLs, namespace, secrets). */
function appEnv(service, { databaseUrl, amqpUrl, portOffset = 0, extra = {} }) {
  const u = new URL(databaseUrl);
  // Services connect as their own role; the admin's credentials never reach an app.
  u.username = '';
  u.password = '';
  const env = {
    NODE_ENV: process.env.NODE_ENV || 'development',
    DATABASE_URL: u.toString(),
    AMQP_URL: amqpUrl,
    BROKER_NAMESPACE: process.env.BROKER_NAMESPACE || 'cn',
    HTTP_PORT: String(service.port + portOffset),
    HTTP_HOST: process.env.HTTP_HOST || '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    JWT_SECRET: process.env.JWT_SECRET || DEV_JWT_SECRET,
    ...extra,
  };
  // Every app logs in with its own role (the gateway's schema holds idempotency keys).
  env.DB_USER = service.role;
  env.DB_PASSWORD = rolePassword(service);
  return env;
}

function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts every app from `distDir` and resolves once all answer `/health/ready` with 200.
 * Child output (JSON log lines) is passed through unchanged; anything else is prefixed with the app name.
 * `onLaunched(stop)` is called as soon as the processes exist, so a signal during start-up can stop them.
 */
async function startStack({
  onLaunched = () => undefined,
  adminUrl,
  amqpUrl,
  database,
  distDir = path.join(ROOT, 'dist'),
  portOffset = 0,
  log = (m) => console.error(m),
  out = process.stdout,
  readyTimeoutMs = 120000,
  extraEnv = {},
}) {
  const databaseUrl = withDatabase(adminUrl, database);
  const busy = [];
  for (const s of SERVICES) if (!(await portFree(s.port + portOffset))) busy.push(`${s.name} :${s.port + portOffset}`);
  if (busy.length > 0) {
    throw new Error(`port(s) already in use: ${busy.join(', ')}. Stop what uses them, or set HTTP_PORT_OFFSET (e.g. HTTP_PORT_OFFSET=100).`);
  }

  const apps = SERVICES.map((service) => {
    const env = appEnv(service, { databaseUrl, amqpUrl, portOffset, extra: extraEnv[service.name] });
    const main = path.join(distDir, 'apps', service.name, 'src', 'main.js');
    const child = spawn(process.execPath, [...appNodeArgs(service.name), '--enable-source-maps', main], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => out.write(line.startsWith('{') ? `${line}\n` : `[${service.name}] ${line}\n`));
    }
    return { service, child, exited, url: `http://${env.HTTP_HOST}:${env.HTTP_PORT}`, exitInfo: undefined };
  });
  for (const app of apps) app.exited.then((info) => (app.exitInfo = info));

  const stop = async (timeoutMs = 20000) => {
    const running = apps.filter((a) => !a.exitInfo);
    for (const a of running) a.child.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const a of apps)
        if (!a.exitInfo) {
          log(`${a.service.name} did not stop within ${timeoutMs} ms; killing it`);
          a.child.kill('SIGKILL');
        }
    }, timeoutMs);
    const results = await Promise.all(apps.map(async (a) => ({ name: a.service.name, ...(await a.exited) })));
    clearTimeout(killer);
    return results;
  };

  onLaunched(stop);
  try {
    await waitReady(apps, readyTimeoutMs);
  } catch (e) {
    await stop(5000);
    throw e;
  }
  return { apps, stop };
}

async function waitReady(apps, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(apps);
  while (pending.size > 0) {
    for (const app of [...pending]) {
      if (app.exitInfo)
        throw new Error(
          `${app.service.name} exited during start-up (code ${app.exitInfo.code}${app.exitInfo.signal ? `, ${app.exitInfo.signal}` : ''}); its log is above`,
        );
      try {
        const res = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(3000) });
        if (res.status === 200) pending.delete(app);
      } catch {
        // not listening yet
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000} s: ${[...pending].map((a) => a.service.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

module.exports = { startStack, appEnv, DEV_JWT_SECRET, appNodeArgs };
