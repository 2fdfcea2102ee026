// `npm test`: installs dependencies if missing, brings PostgreSQL, RabbitMQ and Redis up (reusing running ones),
// then runs jest over every tier (unit, integration, end-to-end). Extra arguments go to jest
// (`npm test -- apps/events`). Exit code is jest's; the last line is `N passed, N failed` (CI reads it).
const { ensureDependencies, ROOT } = require('./lib/deps');

ensureDependencies((m) => console.error(`[test] ${m}`));

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureInfrastructure, ensureRedis } = require('./lib/infra');
const { stopStartedInfrastructure } = require('./lib/infra-stop');

const log = (m) => console.error(`[test] ${m}`);

async function main() {
  const infra = await ensureInfrastructure(log);
  // Only the tests need Redis (gateway replicas sharing one rate limit); the apps run without it.
  const redis = await ensureRedis(log);
  infra.redis = redis.how;
  log(`PostgreSQL: ${infra.postgres}; RabbitMQ: ${infra.rabbitmq}; Redis: ${redis.how}`);
  // jest's global setup finds the same servers through these (no second bring-up).
  const env = { ...process.env, DATABASE_URL: infra.databaseUrl, AMQP_URL: infra.amqpUrl, REDIS_URL: redis.url };
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  let interrupted = false;
  let child;
  const forward = (signal) => {
    interrupted = true;
    child?.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const run = async (args, results) => {
    // --forceExit: a handle some test left open must not hang CI after the results are in (npx jest, used
    // while developing, still shows such leaks).
    child = spawn(process.execPath, [jest, '--json', `--outputFile=${results}`, '--forceExit', ...args], { cwd: ROOT, env, stdio: 'inherit' });
    return new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  };
  // Tests that stop and start the broker, or run a whole fleet under faults (the short chaos run: a
  // three-node cluster and eight apps, most of the machine's CPU), run alone, one after another, after the
  // rest: an outage or a starved CPU in the middle of other files' work would fail them for a reason of the
  // test's own making.
  const ALONE = ['broker-restart', 'chaos-short'];
  const extra = process.argv.slice(2);
  const phases = extra.length > 0 ? [extra] : [ALONE.map((p) => `--testPathIgnorePatterns=${p}`), ...ALONE.map((p) => [p])];
  const files = [];
  let code = 0;
  for (const [k, args] of phases.entries()) {
    if (interrupted) break;
    const results = path.join(os.tmpdir(), `cn-jest-${process.pid}-${k}.json`);
    files.push(results);
    code = (await run(args, results)) || code;
  }
  stopStartedInfrastructure(infra, log);

  let summary;
  try {
    let passed = 0;
    let failed = 0;
    for (const f of files) {
      const r = JSON.parse(fs.readFileSync(f, 'utf8'));
      passed += r.numPassedTests;
      // A test file that fails to load counts as a failure even though it ran no test.
      failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    }
    summary = `${passed} passed, ${failed} failed`;
  } catch {
    log(interrupted ? 'interrupted' : 'jest wrote no results (it crashed before running tests)');
    summary = '0 passed, 1 failed';
    code = code || 1;
  } finally {
    for (const f of files) fs.rmSync(f, { force: true });
  }
  process.stdout.write(`${summary}\n`);
  process.exit(code);
}

main().catch((e) => {
  log(e.message);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
