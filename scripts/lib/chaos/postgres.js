// PostgreSQL for `npm run chaos`. By default a server of its own (the machine's PostgreSQL binaries, data under
// <tmp>/cn-chaos/postgres, port 5710), so that the restart fault does not cut the connections of everyone else's
// tests on the shared server; `--machine-postgres` uses the machine's cluster instead and restarts it with
// `pg_ctlcluster <version> main restart` (what a production operator would do).
const fs = require('node:fs');
const path = require('node:path');
const { sh, run } = require('./rabbit-cluster');
const { reachable } = require('../infra');

function pgBin(version, tool) {
  return `/usr/lib/postgresql/${version}/bin/${tool}`;
}

function clusterVersion() {
  try {
    return fs
      .readdirSync('/etc/postgresql')
      .filter((v) => fs.existsSync(`/etc/postgresql/${v}/main`))
      .sort((a, b) => Number(b) - Number(a))[0];
  } catch {
    return undefined;
  }
}

async function waitReachable(port, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable('127.0.0.1', port, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

class OwnPostgres {
  constructor({ dir, port = 5710, log = () => undefined }) {
    this.dir = dir;
    this.port = port;
    this.log = log;
    this.version = clusterVersion() ?? '15';
    this.kind = `own server (PostgreSQL ${this.version}, port ${port}, data in <tmp>/cn-chaos/postgres)`;
  }

  get adminUrl() {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  asPostgres(tool, args, opts) {
    return sh('runuser', ['-u', 'postgres', '--', pgBin(this.version, tool), ...args], opts);
  }

  async up() {
    this.down();
    fs.mkdirSync(this.dir, { recursive: true });
    sh('chown', ['postgres:postgres', this.dir]);
    this.asPostgres('initdb', ['-D', this.dir, '-A', 'trust', '-U', 'postgres', '--no-sync'], { timeoutMs: 120000 });
    const conf = [
      `port = ${this.port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${this.dir}'`,
      'max_connections = 400',
      'fsync = off',
      'full_page_writes = off',
      'shared_buffers = 128MB',
      '',
    ].join('\n');
    fs.appendFileSync(path.join(this.dir, 'postgresql.conf'), conf);
    this.start();
    if (!(await waitReachable(this.port))) throw new Error(`PostgreSQL on :${this.port} did not come up`);
    this.log(`PostgreSQL: ${this.kind}`);
  }

  start() {
    this.asPostgres('pg_ctl', ['-D', this.dir, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '120', 'start'], { timeoutMs: 130000 });
  }

  /** The fault: a fast restart (every connection cut, in-flight transactions rolled back). */
  async restart() {
    const args = ['-D', this.dir, '-m', 'fast', '-w', '-t', '120', 'restart', '-l', path.join(this.dir, 'server.log')];
    await run('runuser', ['-u', 'postgres', '--', pgBin(this.version, 'pg_ctl'), ...args], { timeoutMs: 130000 });
    await waitReachable(this.port);
  }

  down() {
    if (fs.existsSync(path.join(this.dir, 'postmaster.pid'))) {
      this.asPostgres('pg_ctl', ['-D', this.dir, '-m', 'immediate', '-w', 'stop'], { allowFail: true, timeoutMs: 60000 });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

class MachinePostgres {
  constructor({ log = () => undefined }) {
    this.log = log;
    this.version = clusterVersion() ?? '15';
    this.kind = `the machine's cluster (PostgreSQL ${this.version} main, port 5432)`;
  }

  get adminUrl() {
    return 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  }

  async up() {
    if (!(await reachable('127.0.0.1', 5432))) throw new Error('the machine PostgreSQL is not reachable on 127.0.0.1:5432');
    this.log(`PostgreSQL: ${this.kind}`);
  }

  async restart() {
    await run('pg_ctlcluster', [this.version, 'main', 'restart'], { timeoutMs: 130000 });
    await waitReachable(5432);
  }

  down() {}
}

module.exports = { OwnPostgres, MachinePostgres };
