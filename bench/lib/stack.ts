import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HttpClient } from './http-client';
import { sleep } from './latency';
import { distFile } from './repo';

export interface AppProcess {
  name: string;
  pid: number;
  port: number;
  logFile: string;
  /** Date.now() at spawn: a --cpu-prof profile starts then, so a scenario's window in it can be found. */
  spawnedAt: number;
  child: ChildProcess;
  exited?: string;
}

/** A free TCP port on loopback (the OS picks one; a tiny race with other starters is acceptable here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a compiled entry point as its own process (so its RSS is its own), logs to a file, and waits
 * until `readyPath` answers 200 on its HTTP port.
 */
export async function startProcess(opts: {
  name: string;
  distDir: string;
  entry: string;
  env: Record<string, string>;
  port: number;
  logDir: string;
  readyPath?: string;
  timeoutMs?: number;
  args?: string[];
  /** Options for node itself (e.g. --cpu-prof), which NODE_OPTIONS does not accept. */
  nodeArgs?: string[];
}): Promise<AppProcess> {
  const file = distFile(opts.distDir, opts.entry);
  if (!file) throw new Error(`${opts.entry} is not built under ${opts.distDir}`);
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const log = createWriteStream(logFile);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), file, ...(opts.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const app: AppProcess = { name: opts.name, pid: child.pid!, port: opts.port, logFile, spawnedAt, child };
  child.once('exit', (code, signal) => {
    app.exited = `exited with ${code ?? signal}`;
  });
  const http = new HttpClient(`http://127.0.0.1:${opts.port}`, 1);
  const deadline = Date.now() + (opts.timeoutMs ?? 90000);
  try {
    for (;;) {
      if (app.exited) throw new Error(`${opts.name} ${app.exited} during start; last log lines:\n${tail(logFile)}`);
      try {
        const res = await http.request({ method: 'GET', path: opts.readyPath ?? '/health/ready' }, 2000);
        if (res.status === 200) return app;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${opts.name} not ready after ${opts.timeoutMs ?? 90000} ms; last log lines:\n${tail(logFile)}`);
      await sleep(250);
    }
  } catch (e) {
    await stopProcess(app);
    throw e;
  } finally {
    http.close();
  }
}

/** SIGTERM (graceful shutdown), SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(app: AppProcess, graceMs = 10000): Promise<void> {
  if (app.exited) return;
  const done = new Promise<void>((r) => app.child.once('exit', () => r()));
  app.child.kill('SIGTERM');
  const t = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(t);
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
