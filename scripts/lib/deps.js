// Installs the project's dependencies when node_modules is missing (a fresh clone), before anything that
// needs them is required. Uses only Node built-ins for that reason.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm ci` when a lockfile exists. Should npm refuse the lockfile as out of sync only because the registry
 * in use lacks other platforms' optional binaries (a filtered mirror answers 404 for, say,
 * @swc/core-darwin-arm64, so no lockfile made through it can list them; npm/cli#4828), fall back to
 * `npm install --no-save`: the locked versions, and the lockfile left as it is.
 */
function npmRunner(args) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return spawnSync(npm, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
}

function installDependencies(log = (m) => console.error(m), run = npmRunner, hasLockfile = fs.existsSync(path.join(ROOT, 'package-lock.json'))) {
  if (hasLockfile) {
    log('installing dependencies (npm ci) …');
    const ci = run(['ci', '--no-audit', '--no-fund']);
    if (ci.status === 0) return;
    if (!/EUSAGE|in sync/.test(ci.stderr ?? '')) {
      process.stderr.write(ci.stderr ?? '');
      throw new Error(`npm ci failed (exit ${ci.status})`);
    }
    log('npm ci refused the lockfile (optional platform binaries missing from this registry); using npm install --no-save');
  } else {
    log('installing dependencies (npm install) …');
  }
  const install = run(['install', '--no-save', '--no-audit', '--no-fund']);
  if (install.status !== 0) {
    process.stderr.write(install.stderr ?? '');
    throw new Error(`npm install failed (exit ${install.status})`);
  }
}

/** Installs dependencies when node_modules is missing or incomplete (a fresh clone). */
function ensureDependencies(log = (m) => console.error(m)) {
  // A marker file of the last install step, not just the folder: an interrupted install leaves the folder.
  if (fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) return false;
  try {
    installDependencies(log);
  } catch (e) {
    log(e.message);
    process.exit(1);
  }
  return true;
}

module.exports = { ensureDependencies, installDependencies, ROOT };

// `node scripts/lib/deps.js --always`: CI installs even when node_modules exists.
if (require.main === module) {
  try {
    if (process.argv.includes('--always')) installDependencies();
    else ensureDependencies();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
