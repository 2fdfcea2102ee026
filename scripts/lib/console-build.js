// Builds the operations console (apps/console, Vite + React) into `<outDir>/console`, which the gateway
// serves at /console. Vite runs as a child process: it is ESM-only, and this keeps it out of jest's module
// system when a test builds the console.
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(ROOT, 'apps', 'console', 'vite.config.ts');

/** Resolves with the folder written (`<outDir>/console`); rejects with Vite's output when the build fails. */
function buildConsole({ outDir = path.join(ROOT, 'dist'), log = () => undefined } = {}) {
  const target = path.join(path.resolve(outDir), 'console');
  const pkg = require.resolve('vite/package.json', { paths: [ROOT] });
  const vite = path.join(path.dirname(pkg), require(pkg).bin.vite);
  const started = Date.now();
  // Vite lets one build of a project run at a time (a lock per project, whatever the output folder): two tests
  // building into folders of their own failed with "Found another Vite build process". A build into its own
  // folder skips the lock; the default dist/ keeps it, so two `npm start`s do not write one folder at once.
  const lock = path.resolve(outDir) === path.join(ROOT, 'dist') ? [] : ['--bypass-lock'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', CONFIG, '--outDir', target, '--emptyOutDir', '--logLevel', 'warn', ...lock], {
      cwd: ROOT,
      // The config is TypeScript with ESM syntax under a CommonJS package: Vite bundles it (its default loader).
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) {
        log(`built the console to ${path.relative(ROOT, target) || target}/ in ${Date.now() - started} ms`);
        resolve(target);
      } else reject(new Error(`console build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

module.exports = { buildConsole };
