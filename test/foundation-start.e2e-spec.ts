import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { connect } from 'amqplib';
import { Client } from 'pg';
import { eventually } from '@app/shared/testing/eventually';
import { createTestEnvironment, TEST_QUEUE_EXPIRES_MS, TestEnvironment } from '@app/shared/testing/test-environment';
import { deadLetterQueue, serviceQueue, unroutedQueue } from '@app/shared/messaging/topology';
import { trackProcessTopology } from '@app/shared/testing/process-topology';
import { SERVICES } from '../libs/dev/services';

/**
 * The README's `npm start`, as a newcomer runs it: provisions a fresh database, builds, starts the four
 * apps as processes (each migrating its schema), prints the URLs and a working token, and on Ctrl-C stops
 * every app with code 0. It runs beside anything else on this machine: its own database, broker
 * namespace, build folder and ports.
 */
const ROOT = resolve(__dirname, '..');

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

async function freeOffset(): Promise<number> {
  for (;;) {
    const offset = 20000 + Math.floor(Math.random() * 20000);
    const free = await Promise.all(SERVICES.map((s) => portFree(s.port + offset)));
    if (free.every(Boolean)) return offset;
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  let env: TestEnvironment;
  let database: string;
  let start: ChildProcess | undefined;
  const distDir = join(ROOT, '.data', `test-dist-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    env = await createTestEnvironment();
    database = `${env.database}_start`;
    // npm start's apps declare their queues in their own processes: dispose() is told their names.
    trackProcessTopology(
      env,
      SERVICES.map((s) => s.name),
    );
  });

  afterAll(async () => {
    // A failed assertion leaves the stack up: stop it the way a user would, and kill what lingers, so
    // no app outlives the test.
    if (start && start.exitCode === null && start.signalCode === null) {
      const apps = childPids(start.pid!);
      const gone = new Promise((res) => start!.once('exit', res));
      start.kill('SIGINT');
      await Promise.race([gone, new Promise((res) => setTimeout(res, 25000))]);
      for (const pid of [start.pid!, ...apps]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(distDir, { recursive: true, force: true });
    const admin = new Client({ connectionString: env.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => admin.end());
    await env.dispose();
    // The apps' queues went with the environment (a run used to leave sixteen, without an expiry).
    const conn = await connect(env.amqpUrl);
    try {
      for (const q of [serviceQueue(env.namespace, 'events'), deadLetterQueue(env.namespace, 'tickets'), unroutedQueue(env.namespace)]) {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await expect(ch.checkQueue(q)).rejects.toThrow(/NOT_FOUND/);
      }
    } finally {
      await conn.close();
    }
  });

  it('brings the stack up on a fresh database, prints a working token, and stops every app on Ctrl-C', async () => {
    const offset = await freeOffset();
    let stdout = '';
    let stderr = '';
    start = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: {
        // As from a shell: without the jest run's CN_TEST_* variables, which switch on test-only hooks.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CN_TEST_'))),
        DATABASE_URL: env.adminUrl,
        AMQP_URL: env.amqpUrl,
        CN_DATABASE: database,
        CN_DIST_DIR: distDir,
        HTTP_PORT_OFFSET: String(offset),
        BROKER_NAMESPACE: env.namespace,
        BROKER_QUEUE_EXPIRES_MS: String(TEST_QUEUE_EXPIRES_MS),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (d) => (stdout += d));
    start.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((res) => start!.once('exit', (code, signal) => res({ code, signal })));

    const banner = eventually(
      () => {
        expect(stdout).toContain('ContractNest Ops is running');
        expect(stdout).toContain('Ctrl-C stops everything.');
      },
      { timeoutMs: 90000, intervalMs: 250 },
    );
    const early = exited.then((r) => {
      throw new Error(`npm start exited (${r.code}) before it was ready:\n${stderr}\n${stdout.split('\n').slice(-15).join('\n')}`);
    });
    await Promise.race([banner, early]);
    early.catch(() => undefined);

    const gateway = /Gateway:\s+(\S+)\/v1/.exec(stdout)![1];
    expect(gateway).toBe(`http://127.0.0.1:${3000 + offset}`);
    expect(stdout).toContain(`OpenAPI:   ${gateway}/docs`);
    const token = /Development token[^\n]*\n\s+(\S+)/.exec(stdout)![1];
    expect(token.split('.')).toHaveLength(3);
    // The console was built with the apps; its link signs in as the development admin.
    expect(stdout).toContain(`Console:   ${gateway}/console/#token=${token}`);
    const consolePage = await fetch(`${gateway}/console/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('/console/assets/');

    for (const s of SERVICES) {
      expect((await fetch(`http://127.0.0.1:${s.port + offset}/health/ready`)).status).toBe(200);
    }
    expect((await fetch(`${gateway}/docs/openapi.json`)).status).toBe(200);
    const status = await fetch(`${gateway}/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    // The token's tenant is registered, so tenant routes serve it too (an unregistered one gets 403).
    const contracts = await fetch(`${gateway}/v1/contracts`, { headers: { authorization: `Bearer ${token}` } });
    expect(contracts.status).toBe(200);

    // Every service migrated its own schema in the fresh database.
    const admin = new Client({ connectionString: env.adminUrl.replace(/\/[^/]*$/, `/${database}`) });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ schema: string }>(
        "SELECT DISTINCT table_schema AS schema FROM information_schema.tables WHERE table_name = 'migrations'",
      );
      expect(rows.map((r) => r.schema)).toEqual(expect.arrayContaining(['events', 'jtd', 'tickets']));
    } finally {
      await admin.end();
    }

    const apps = childPids(start.pid!);
    expect(apps).toHaveLength(SERVICES.length);
    start.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
    for (const pid of apps) expect(alive(pid)).toBe(false);
    for (const s of SERVICES) expect(stderr).toContain(`${s.name} exited (code 0)`);
  }, 150000);
});
