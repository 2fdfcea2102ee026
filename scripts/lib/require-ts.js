// Lets a plain-JS script `require` the project's TypeScript sources: each .ts file is compiled on the fly with
// the project's swc settings (.swcrc, as jest does), and `@app/shared/…` resolves to libs/shared/src. For the
// benchmarks that measure one module in isolation (bench/*.bench.js), without building the apps.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ROOT = path.resolve(__dirname, '..', '..');

let installed = false;

function installTypeScriptRequire() {
  if (installed) return;
  installed = true;
  const swcrc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  swcrc.jsc.baseUrl = ROOT;
  const swc = require('@swc/core');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    const mapped = request.startsWith('@app/shared/') ? path.join(ROOT, 'libs/shared/src', request.slice('@app/shared/'.length)) : request;
    return resolveFilename.call(this, mapped, ...rest);
  };
  Module._extensions['.ts'] = (m, filename) => m._compile(swc.transformFileSync(filename, { ...swcrc, filename }).code, filename);
}

module.exports = { installTypeScriptRequire };
