import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run chaos -- --short` as CI runs it: a three-node RabbitMQ cluster, PostgreSQL, two replicas of every app
 * and the fake provider under load, one app replica killed and the quorum leader node lost. The run's JSON must
 * say that nothing accepted was lost or doubled, and nothing the run started may outlive it.
 */
const ROOT = resolve(__dirname, '..');

function listening(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = new Socket();
    const done = (ok: boolean) => (socket.destroy(), res(ok));
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

describe('npm run chaos -- --short', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-chaos-'));
  const out = join(dir, 'chaos.json');
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(() => {
    // Whatever happened: the run's own process group, then its broker nodes and database server.
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'chaos.js'), '--cleanup'], { cwd: ROOT, stdio: 'ignore', timeout: 120000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses and doubles nothing through an app SIGKILL and the loss of the quorum leader node, and leaves nothing running', async () => {
    let output = '';
    child = spawn(process.execPath, [join(ROOT, 'scripts', 'chaos.js'), '--short', `--out=${out}`], {
      cwd: ROOT,
      // As from a shell: without the jest run's CN_TEST_* variables, which switch on test-only hooks.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CN_TEST_'))),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((res) => child!.once('exit', (c) => res(c)));
    const result = JSON.parse(readFileSync(out, 'utf8'));
    if (code !== 0) process.stderr.write(`${output.split('\n').slice(-40).join('\n')}\n`);

    expect(result.variant).toBe('short');
    expect(result.error).toBeUndefined();
    expect(result.faults.map((f: { kind: string }) => f.kind)).toEqual(['app-sigkill', 'broker-node-loss']);
    expect(result.faults.filter((f: { error?: string }) => f.error)).toEqual([]);
    // The load did work through the faults, over both gateways.
    expect(result.load.gateways).toBe(2);
    expect(result.load.stories).toBeGreaterThan(10);
    expect(result.verification.checks.length).toBeGreaterThanOrEqual(10);
    expect(result.verification.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(result.verification.lost).toBe(0);
    expect(result.verification.doubled).toBe(0);
    expect(result.quiescence.timedOut).toBeUndefined();
    // Quorum queues were replicated on the three nodes.
    for (const q of result.cluster.quorumQueues) expect(q.members).toHaveLength(3);
    expect(code).toBe(0);

    // Nothing it started is left: broker nodes, its PostgreSQL, the apps.
    const ports = [...result.cluster.nodes.map((n: { amqp: number }) => n.amqp), ...result.fleet.map((r: { port: number }) => r.port)];
    if (/own server/.test(result.postgres)) ports.push(Number(/port (\d+)/.exec(result.postgres)![1]));
    for (const port of ports) expect(await listening(port)).toBe(false);
  }, 480000);
});
