import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { eventually } from '@app/shared/testing/eventually';
import { trackProcessTopology } from '@app/shared/testing/process-topology';
import { createTestEnvironment, TestEnvironment } from '@app/shared/testing/test-environment';
import { build } from '../scripts/build';
import { SERVICES } from '../libs/dev/services';

/**
 * The apps as they run in production: compiled by scripts/build.js and started as processes. What only a
 * real process shows: a bad configuration stops it with a non-zero code naming the variable, and
 * SIGTERM/SIGINT end it cleanly with code 0.
 */
const ROOT = resolve(__dirname, '..');
// Inside the repository so node_modules resolves; per run so parallel runs never share a build.
const OUT = join(ROOT, '.data', `test-build-${randomBytes(4).toString('hex')}`);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function start(app: string, env: Record<string, string>): { child: ChildProcess; output: () => string; done: Promise<Run> } {
  let output = '';
  const child = spawn(process.execPath, [join(OUT, 'apps', app, 'src', 'main.js')], {
    cwd: ROOT,
    // Only what the test gives: no DATABASE_URL or AMQP_URL leaking in from the runner's environment.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const done = new Promise<Run>((res) => child.once('exit', (code, signal) => res({ code, signal, output })));
  return { child, output: () => output, done };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** The fatal line runApp prints for a configuration that cannot run. */
function fatalLine(output: string): { msg: string; variables: string[] } {
  const line = output.split('\n').find((l) => l.includes('"fatal"'));
  expect(line).toBeDefined();
  return JSON.parse(line!);
}

describe('apps as processes (built with scripts/build.js)', () => {
  let env: TestEnvironment;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    trackProcessTopology(
      env,
      SERVICES.map((s) => s.name),
    );
    await build({ outDir: OUT });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await env?.dispose();
    rmSync(OUT, { recursive: true, force: true });
  });

  it('exits non-zero naming a required variable that is missing', async () => {
    const { AMQP_URL: _omitted, ...rest } = env.env('events');
    const run = await start('events', rest).done;
    expect(run.code).not.toBe(0);
    const fatal = fatalLine(run.output);
    expect(fatal.variables).toEqual(['AMQP_URL']);
    expect(fatal.msg).toContain('AMQP_URL');
  });

  it('exits non-zero naming a malformed variable', async () => {
    const run = await start('tickets', { ...env.env('tickets'), HTTP_PORT: 'not-a-port', DATABASE_URL: 'mysql://nope' }).done;
    expect(run.code).not.toBe(0);
    expect(fatalLine(run.output).variables.sort()).toEqual(['DATABASE_URL', 'HTTP_PORT']);
  });

  it('stops the gateway without JWT_SECRET (and no JWKS URL), naming it', async () => {
    const { JWT_SECRET: _omitted, ...rest } = env.env('gateway');
    const run = await start('gateway', rest).done;
    expect(run.code).not.toBe(0);
    expect(fatalLine(run.output).variables).toContain('JWT_SECRET');
  });

  it('refuses, with NODE_ENV=production, to start any app on the development defaults, naming each variable', async () => {
    // Development's environment: provisioning's role passwords, guest on the broker, the test JWT secret, default keys.
    const devEnv = (s: (typeof SERVICES)[number]) => ({
      ...env.env(s.name),
      NODE_ENV: 'production',
      METRICS_PUBLIC: 'true',
      DB_PASSWORD: `${s.role}_dev`,
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
    const runs = await Promise.all(SERVICES.map(async (s) => ({ app: s.name, run: await start(s.name, devEnv(s)).done })));
    const refused = Object.fromEntries(runs.map(({ app, run }) => [app, { exited: run.code !== 0, variables: fatalLine(run.output).variables.sort() }]));
    expect(refused).toEqual({
      gateway: { exited: true, variables: ['AMQP_URL', 'DB_PASSWORD', 'JWT_SECRET'] },
      events: { exited: true, variables: ['AMQP_URL', 'DB_PASSWORD', 'SEALED_FIELDS_KEY'] },
      tickets: { exited: true, variables: ['AMQP_URL', 'DB_PASSWORD', 'OTP_SECRET', 'SEALED_FIELDS_KEY'] },
      'jtd-dispatcher': { exited: true, variables: ['AMQP_URL', 'DB_PASSWORD', 'SEALED_FIELDS_KEY'] },
    });
  });

  it('runs its migrations, reports ready, and on SIGTERM stops cleanly with code 0', async () => {
    const port = await freePort();
    const app = start('events', { ...env.env('events'), HTTP_PORT: String(port), LOG_LEVEL: 'info' });
    children.push(app.child);
    await eventually(
      async () => {
        if (app.child.exitCode !== null) throw new Error(`exited early: ${app.output()}`);
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(res.status).toBe(200);
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
    app.child.kill('SIGTERM');
    const run = await app.done;
    expect(run).toMatchObject({ code: 0, signal: null });
    const lines = run.output.split('\n').filter((l) => l.startsWith('{'));
    // Every line is JSON, and the shutdown is logged.
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(run.output).toContain('SIGTERM received, shutting down');
  });

  it('stops cleanly on SIGINT (Ctrl-C) too', async () => {
    const port = await freePort();
    const app = start('jtd-dispatcher', { ...env.env('jtd-dispatcher'), HTTP_PORT: String(port) });
    children.push(app.child);
    await eventually(
      async () => {
        if (app.child.exitCode !== null) throw new Error(`exited early: ${app.output()}`);
        expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
    app.child.kill('SIGINT');
    expect(await app.done).toMatchObject({ code: 0, signal: null });
  });
});
