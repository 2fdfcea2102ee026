#!/usr/bin/env node
// `npm run api`: writes the files generated from the operation registry — docs/openapi.json, the typed
// client's types (libs/client/src/schema.d.ts) and the README's role matrix. A test fails when the committed
// files differ from what this writes (libs/client/generate/api-artifacts.spec.ts), so run it after changing
// an operation, a DTO or a view.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// A build of its own, git-ignored under node_modules/, so it never disturbs dist/ of a running `npm start`.
const out = path.join(root, 'node_modules', '.cache', 'cn-api-build');

async function main() {
  await require('./build').build({ outDir: out });
  const { apiArtifacts, withRoleMatrix } = require(path.join(out, 'libs', 'client', 'generate', 'api-artifacts.js'));
  const artifacts = await apiArtifacts();
  for (const file of ['docs/openapi.json', 'libs/client/src/schema.d.ts']) {
    fs.writeFileSync(path.join(root, file), artifacts[file]);
    console.log(`wrote ${file}`);
  }
  const readme = path.join(root, 'README.md');
  fs.writeFileSync(readme, withRoleMatrix(fs.readFileSync(readme, 'utf8'), artifacts.roleMatrix));
  console.log('wrote the role matrix in README.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
