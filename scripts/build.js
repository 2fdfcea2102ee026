// Compiles apps/ and libs/ to dist/ with swc (no type check: `npm run typecheck` / lint does that).
// The layout is mirrored (dist/apps/events/src/main.js) and `@app/shared/*` imports are rewritten to
// relative paths by .swcrc `jsc.paths`, so `node dist/apps/<app>/src/main.js` runs without a loader.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['apps', 'libs'];
const DEFAULT_OUT = path.join(ROOT, 'dist');
// Tests are not part of what ships.
const SKIP_FILE = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;
const SKIP_DIR = new Set(['test', 'node_modules', '__fixtures__']);
// The console is a browser app that Vite bundles (scripts/lib/console-build.js), not a Node app for swc.
const SKIP_PATH = new Set([path.join(ROOT, 'apps', 'console')]);

function swcOptions() {
  const rc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
  delete rc.$schema;
  // swc resolves `paths` against an absolute baseUrl only.
  rc.jsc.baseUrl = ROOT;
  return { ...rc, swcrc: false, configFile: false };
}

function listSources(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.has(entry.name) && !SKIP_PATH.has(full)) listSources(full, out);
    } else if (entry.name.endsWith('.ts') && !SKIP_FILE.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/**
 * Builds everything into `outDir` (dist/ by default; tests use their own folder inside the repo so that
 * node_modules still resolves and parallel builds never delete each other's output): the apps with swc,
 * then the operations console with Vite into `<outDir>/console` (`console: false` leaves it out). Returns
 * the number of files swc wrote; throws listing every file that does not compile.
 */
async function build({ log = () => undefined, outDir = DEFAULT_OUT, console: withConsole = true } = {}) {
  const OUT = path.resolve(outDir);
  const swc = require('@swc/core');
  const options = swcOptions();
  const files = SOURCES.flatMap((s) => listSources(path.join(ROOT, s)));
  const started = Date.now();
  // Start from an empty dist so a deleted source file cannot linger as a stale module.
  fs.rmSync(OUT, { recursive: true, force: true });
  const queue = [...files];
  const failures = [];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const rel = path.relative(ROOT, file);
      const target = path.join(OUT, rel.replace(/\.ts$/, '.js'));
      try {
        const result = await swc.transformFile(file, {
          ...options,
          filename: file,
          sourceFileName: path.relative(path.dirname(target), file),
          outputPath: target,
        });
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const mapName = `${path.basename(target)}.map`;
        fs.writeFileSync(target, result.map ? `${result.code}\n//# sourceMappingURL=${mapName}\n` : result.code);
        if (result.map) fs.writeFileSync(`${target}.map`, result.map);
      } catch (e) {
        failures.push(`${rel}: ${e.message ?? e}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (failures.length > 0) throw new Error(`build failed:\n${failures.join('\n')}`);
  log(`compiled ${files.length} files to ${path.relative(ROOT, OUT)}/ in ${Date.now() - started} ms`);
  if (withConsole) await require('./lib/console-build').buildConsole({ outDir: OUT, log });
  return files.length;
}

module.exports = { build, DEFAULT_OUT };

if (require.main === module) {
  build({ log: (m) => console.log(`[build] ${m}`) }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
