#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --trial] [-- --only=raw-http,read-event] [-- --skip=cockpit]`
// Builds the apps and the bench, then runs bench/main.ts: raw baselines (HTTP, RabbitMQ, Postgres) and the
// service scenarios against a stack started like `npm start`, on an isolated database and broker namespace.
// See BENCHMARKS.md.
const fs = require('node:fs');
const path = require('node:path');

// A fresh clone: install dependencies first, as `npm start` does.
if (fs.existsSync(path.join(__dirname, 'lib', 'deps.js'))) require('./lib/deps').ensureDependencies((m) => console.error(`[bench] ${m}`));

const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
// A build of its own, outside dist/: `npm run build` or `npm start` empty dist/ while the bench may still load
// files from its build (and a bench build must not replace what `npm start` runs). Under node_modules/ so it
// is git-ignored and still resolves the dependencies.
const dist = path.join(root, 'node_modules', '.cache', 'cn-bench-build');
const argv = process.argv.slice(2);
const swc = path.join(root, 'node_modules', '.bin', 'swc');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

async function compile() {
  const started = Date.now();
  // The project's build (scripts/build.js) compiles apps/ and libs/; without it, swc directly. The bench is
  // compiled into the same tree the same way, so the rewritten `@app/shared/*` imports resolve alike.
  const buildScript = path.join(root, 'scripts', 'build.js');
  if (fs.existsSync(buildScript)) await require(buildScript).build({ outDir: dist });
  else {
    fs.rmSync(dist, { recursive: true, force: true });
    run(swc, [
      'apps',
      'libs',
      '-d',
      path.relative(root, dist),
      '--config-file',
      '.swcrc',
      '--quiet',
      '--ignore',
      '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts',
    ]);
  }
  run(swc, ['bench', '-d', path.relative(root, dist), '--config-file', '.swcrc', '--quiet', '--ignore', 'bench/results/**']);
  // The JTD dispatcher's fake MSG91/FCM server (a test helper, so not in the build) serves the JTD scenario.
  const fakeProvider = 'apps/jtd-dispatcher/test/support/fake-provider.ts';
  if (fs.existsSync(path.join(root, fakeProvider))) run(swc, [fakeProvider, '-d', path.relative(root, dist), '--config-file', '.swcrc', '--quiet']);
  // Compiled bench files that import ../scripts/lib/* find the plain-JS originals through a link.
  const scriptsLink = path.join(dist, 'scripts');
  if (!fs.existsSync(scriptsLink)) fs.symlinkSync(path.relative(dist, path.join(root, 'scripts')), scriptsLink, 'dir');
  console.error(`[bench] built into ${path.relative(root, dist)}/ in ${Date.now() - started} ms`);
}

const USAGE = `usage: npm run bench -- [--quick] [--trial] [--only=a,b] [--skip=a,b] [--warmup=s] [--duration=s]
                         [--connections=n] [--cockpit-events=n] [--big-activations=n] [--no-build]
                         [--generator=autocannon|http-load|both] [--soak-minutes=n]
scenarios: raw-http, raw-rabbitmq, raw-postgres, read-event, transition, activation, backbone, jtd-pipeline, stream,
           soak (full runs only, or --only=soak), cockpit
See BENCHMARKS.md.`;

async function main() {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (!argv.includes('--no-build')) await compile();
  const entry = path.join(dist, 'bench', 'main.js');
  if (!fs.existsSync(entry)) throw new Error(`${path.relative(root, entry)} is missing: run without --no-build`);
  return require(entry).main(argv, dist);
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e && e.name === 'UsageError' ? `[bench] ${e.message}\n${USAGE}` : `[bench] failed: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  });
