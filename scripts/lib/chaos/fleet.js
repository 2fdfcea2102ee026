// Two replicas of every app for `npm run chaos`, each its own process with its own HTTP port, every one
// connected to all nodes of the RabbitMQ cluster (AMQP_URL as a list, rotated so replicas start on different
// nodes). Replicas can be killed, stopped, resumed and started again while the rest carry on.
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { SERVICES } = require('../../../libs/dev/services');
const { appEnv, appNodeArgs } = require('../stack');

function portFree(port) {
  return new Promise((resolve) => {
    const srv = require('node:net').createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Fleet {
  /**
   * @param {{ distDir: string, databaseUrl: string, amqpUrls: string[], logDir: string, namespace: string,
   *           basePort?: number, replicas?: number, extraEnv?: Record<string, Record<string, string>>, log?: (m: string) => void }} opts
   */
  constructor(opts) {
    this.opts = { basePort: 3700, replicas: 2, extraEnv: {}, log: () => undefined, ...opts };
    this.replicas = [];
    /** Replicas that exited without being told to (see supervise). */
    this.crashes = [];
    this.stopping = false;
  }

  gateways() {
    return this.replicas.filter((r) => r.service.name === 'gateway');
  }

  byName(name) {
    return this.replicas.find((r) => r.name === name);
  }

  async plan() {
    let port = this.opts.basePort;
    let i = 0;
    for (const service of SERVICES) {
      for (let n = 0; n < this.opts.replicas; n++) {
        while (!(await portFree(port))) port++;
        const amqpUrl = [...this.opts.amqpUrls.slice(i % this.opts.amqpUrls.length), ...this.opts.amqpUrls.slice(0, i % this.opts.amqpUrls.length)].join(',');
        i++;
        const name = `${service.name}-${n + 1}`;
        const env = appEnv(service, {
          databaseUrl: this.opts.databaseUrl,
          amqpUrl,
          extra: {
            BROKER_NAMESPACE: this.opts.namespace,
            LOG_LEVEL: 'warn',
            NODE_ENV: 'development',
            ...(this.opts.extraEnv['*'] ?? {}),
            ...(this.opts.extraEnv[service.name] ?? {}),
            HTTP_PORT: String(port),
            ...(service.name === 'jtd-dispatcher' ? { JTD_WORKER_ID: name } : {}),
          },
        });
        this.replicas.push({ name, service, index: n, port, env, url: `http://127.0.0.1:${port}`, logFile: path.join(this.opts.logDir, `${name}.log`) });
        port++;
      }
    }
  }

  spawn(r) {
    const main = path.join(this.opts.distDir, 'apps', r.service.name, 'src', 'main.js');
    const out = fs.createWriteStream(r.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...appNodeArgs(r.service.name), '--enable-source-maps', main], {
      cwd: path.resolve(__dirname, '..', '..', '..'),
      env: { ...process.env, ...r.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) readline.createInterface({ input: stream }).on('line', (l) => out.write(`${l}\n`));
    r.child = child;
    r.exitInfo = undefined;
    r.expectExit = false;
    r.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((r.exitInfo = { code, signal }))));
    r.exited.then((info) => this.supervise(r, child, info));
  }

  /**
   * A replica that exits without being told to is recorded and started again a second later, as an
   * orchestrator (Kubernetes, systemd) would: the run goes on, and the result names the crash and its cause.
   */
  supervise(r, child, info) {
    if (r.expectExit || this.stopping || r.child !== child) return;
    const lines = fs.existsSync(r.logFile) ? fs.readFileSync(r.logFile, 'utf8').trimEnd().split('\n') : [];
    const fatal = lines.filter((l) => /"level":"fatal"|"level":60/.test(l)).slice(-1)[0];
    let cause = fatal ?? lines.slice(-1)[0] ?? '';
    try {
      const parsed = JSON.parse(cause);
      cause = `${parsed.msg}${parsed.stack ? ` | ${parsed.stack.split('\n').slice(0, 3).join(' | ')}` : ''}`;
    } catch {
      // not a JSON line
    }
    const crash = { name: r.name, at: new Date().toISOString(), code: info.code, signal: info.signal, cause: cause.slice(0, 600) };
    this.crashes.push(crash);
    this.opts.log(`${r.name} exited on its own (${info.signal ?? `code ${info.code}`}): ${crash.cause.slice(0, 200)}; starting it again`);
    setTimeout(() => {
      if (this.stopping || r.child !== child) return;
      this.spawn(r);
      this.waitReady(r).catch((e) => this.opts.log(`${r.name} did not come back: ${e.message}`));
    }, 1000);
  }

  async waitReady(r, timeoutMs = 180000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (r.exitInfo) throw new Error(`${r.name} exited during start-up (${r.exitInfo.signal ?? `code ${r.exitInfo.code}`}); see ${r.logFile}`);
      try {
        const res = await fetch(`${r.url}/health/ready`, { signal: AbortSignal.timeout(3000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${r.name} not ready after ${timeoutMs / 1000} s; see ${r.logFile}`);
      await sleep(300);
    }
  }

  /** First replica of every app (each migrates its schema), then the second ones. */
  async start() {
    await this.plan();
    for (let n = 0; n < this.opts.replicas; n++) {
      const wave = this.replicas.filter((r) => r.index === n);
      for (const r of wave) this.spawn(r);
      await Promise.all(wave.map((r) => this.waitReady(r)));
      this.opts.log(`ready: ${wave.map((r) => `${r.name} :${r.port}`).join(', ')}`);
    }
  }

  signal(r, sig) {
    if (r.child && !r.exitInfo) r.child.kill(sig);
  }

  async kill(r) {
    r.expectExit = true;
    this.signal(r, 'SIGKILL');
    await r.exited;
  }

  async restart(r) {
    if (r.child && !r.exitInfo) await this.kill(r);
    this.spawn(r);
    await this.waitReady(r);
  }

  /** SIGTERM every replica (SIGCONT first, in case one is stopped), SIGKILL what is left after `graceMs`. */
  async stopAll(graceMs = 15000) {
    this.stopping = true;
    const running = this.replicas.filter((r) => r.child && !r.exitInfo);
    for (const r of running) {
      r.child.kill('SIGCONT');
      r.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => running.forEach((r) => !r.exitInfo && r.child.kill('SIGKILL')), graceMs);
    await Promise.all(running.map((r) => r.exited));
    clearTimeout(timer);
    return running.map((r) => ({ name: r.name, ...r.exitInfo }));
  }
}

module.exports = { Fleet };
