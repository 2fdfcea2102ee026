import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

// ESLint loads eslint.config.mjs with a dynamic import, which jest's module system refuses: the fixtures
// are linted in a child Node process with ESLint's Node API and the project's own configuration (type
// information left out: the fixture files do not exist on disk).
const LINT_FIXTURES = `
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');
(async () => {
  const fixtures = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
  const out = [];
  for (const { file, code } of fixtures) {
    const [result] = await eslint.lintText(code, { filePath: require('path').join(process.cwd(), file) });
    out.push(result.messages);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface LintMessage {
  ruleId: string | null;
  message: string;
  fatal?: boolean;
}

/** The boundary messages ESLint gives each fixture, linted all at once. */
function lintAll(fixtures: Array<{ file: string; code: string }>): string[][] {
  const run = spawnSync(process.execPath, ['-e', LINT_FIXTURES], { cwd: ROOT, input: JSON.stringify(fixtures), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as LintMessage[][];
  return results.map((messages) => {
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    return messages.filter((m) => m.ruleId === 'boundaries/imports').map((m) => m.message);
  });
}

/** The boundaries of docs/ARCHITECTURE.md ("Boundaries") are enforced by `npm run lint`. */
describe('lint boundaries (scripts/lint/boundaries.js through eslint.config.mjs)', () => {
  const fixtures: Array<{ file: string; code: string }> = [];
  let results: string[][] = [];
  /** Registers a fixture now; its messages are read in the test, after beforeAll linted them all. */
  function crossings(file: string, code: string): () => string[] {
    const index = fixtures.push({ file, code }) - 1;
    return () => results[index];
  }
  beforeAll(() => {
    results = lintAll(fixtures);
  }, 60000);

  const libraryCrossing = crossings(
    'libs/shared/src/messaging/fixture.ts',
    [
      "import { signDevToken } from '../../../../scripts/token';",
      "export { Main } from '../../../../apps/events/src/main';",
      "const stack = require('../../../../test/support/stack');",
      "void import('../../../../bench/main');",
      'export { signDevToken, stack };',
    ].join('\n'),
  );
  it('refuses a library that imports an app, a script or a test helper, however it imports', () => {
    expect(libraryCrossing()).toEqual([
      expect.stringMatching(/^libs\/shared\/src\/messaging\/fixture\.ts may not import scripts\/token: .*libs\/dev/),
      expect.stringContaining('may not import apps/events/src/main'),
      expect.stringContaining('may not import test/support/stack'),
      expect.stringContaining('may not import bench/main'),
    ]);
  });

  const libraryTestFine = crossings(
    'libs/shared/src/security/fixture.spec.ts',
    "import '@app/shared/db/sql';\nimport '../../../dev/services';\nimport 'pg';\n",
  );
  const libraryTestCrossing = crossings('libs/shared/src/security/fixture.spec.ts', "import '../../../../apps/gateway/src/main';\n");
  it('refuses a library test that imports an app, and accepts one that imports libraries and libs/dev', () => {
    expect(libraryTestFine()).toEqual([]);
    expect(libraryTestCrossing()).toEqual([expect.stringContaining('libs import libs only, not apps/')]);
  });

  const appFine = crossings(
    'apps/tickets/src/tickets/fixture.ts',
    "import '@app/shared/db/sql';\nimport '../../../../libs/dev/dev-token';\nimport '../appointments/x';\n",
  );
  const appCrossing = crossings(
    'apps/tickets/src/tickets/fixture.ts',
    "import '../../../events/src/main';\nimport '../../../../scripts/lib/stack';\nimport '../../../../test/support/stack';\n",
  );
  it('keeps an app to libraries and itself: no other app, no scripts, no root test helpers', () => {
    expect(appFine()).toEqual([]);
    expect(appCrossing()).toEqual([
      expect.stringContaining('an app imports no other app (apps/tickets → apps/events)'),
      expect.stringContaining('not scripts/'),
      expect.stringContaining('not test/'),
    ]);
  });

  const specUsesSupport = crossings('apps/tickets/src/tickets/fixture.spec.ts', "import '../../test/support/unit-harness';\n");
  const codeUsesSupport = crossings('apps/tickets/src/tickets/fixture.ts', "import '../../test/support/unit-harness';\n");
  it("lets an app's unit specs, and nothing else in src, use the app's own test support", () => {
    expect(specUsesSupport()).toEqual([]);
    expect(codeUsesSupport()).toEqual([expect.stringContaining('imports no test code')]);
  });

  const appTestFine = crossings('apps/events/test/fixture.int-spec.ts', "import '../src/main';\nimport '../../../test/support/stack';\n");
  const appTestCrossing = crossings('apps/events/test/fixture.int-spec.ts', "import '../../tickets/src/main';\n");
  it("keeps an app's integration tests away from other apps", () => {
    expect(appTestFine()).toEqual([]);
    expect(appTestCrossing()).toEqual([expect.stringContaining('an app imports no other app')]);
  });

  const outerTest = crossings('test/fixture.e2e-spec.ts', "import '../apps/events/src/main';\nimport '../scripts/lib/stack';\n");
  const outerBench = crossings('bench/fixture.ts', "import '../apps/events/src/main';\n");
  it('leaves root tests and the bench free to import anything', () => {
    expect(outerTest()).toEqual([]);
    expect(outerBench()).toEqual([]);
  });
});
