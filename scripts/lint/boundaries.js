// ESLint rule `boundaries/imports`: which part of the repository may import which. A rule of our own rather
// than `no-restricted-imports` patterns: those match the import text, and a relative path means a different
// folder in every file ('../../test/x' is the app's own test folder from one file and the root's from
// another); this rule resolves each import against the importing file and judges the folder it lands in.
// No extra dependency (eslint-plugin-boundaries or dependency-cruiser would add a second configuration
// language for four rules).
//
//   apps/<x>/src   imports libs/ and its own app only: never another app, scripts/ or test/. Its unit specs
//                  may also use their app's test/support (factories, harness).
//   apps/<x>/test  imports its own app, libs/ and the root test/support: never another app.
//   libs/**        imports libs/ only (library tests included): never apps/, scripts/, test/ or bench/.
//   scripts/, test/, bench/ are the outer layer: they may import anything.
//
// Facts that scripts and libraries both need (the stack's services, the development token) live in the
// plain-JS library libs/dev, which both may import.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ALIASES = [
  ['@app/shared/', 'libs/shared/src/'],
  ['@app/client/', 'libs/client/src/'],
];
const SPEC = /\.(spec|int-spec|e2e-spec)\.tsx?$/;

/** Where a repository file lies: `{ top: 'apps', unit: 'events', part: 'src' }`, `{ top: 'scripts' }`, … */
function locate(abs) {
  const rel = path.relative(ROOT, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { top: 'outside', rel };
  const [top, unit, part] = rel.split(path.sep);
  return { top, unit, part, rel: rel.split(path.sep).join('/') };
}

/** The file an import names, or undefined for a package. */
function target(specifier, fromFile) {
  if (specifier.startsWith('.')) return path.resolve(path.dirname(fromFile), specifier);
  for (const [alias, dir] of ALIASES) if (specifier.startsWith(alias)) return path.join(ROOT, dir, specifier.slice(alias.length));
  return undefined;
}

/** Why `from` may not import `to`, or undefined when it may. */
function violation(from, to, fromFile) {
  if (to.top === 'node_modules') return undefined;
  if (from.top === 'apps') {
    if (to.top === 'apps' && to.unit !== from.unit) return `an app imports no other app (apps/${from.unit} → apps/${to.unit})`;
    if (from.part === 'src') {
      if (to.top === 'apps' && to.part === 'test' && !SPEC.test(fromFile))
        return `apps/${from.unit}/src imports no test code (only its specs use test/support)`;
      if (to.top === 'scripts' || to.top === 'test' || to.top === 'bench')
        return `apps/${from.unit}/src imports libs/ and its own app only, not ${to.top}/ (shared facts belong in libs/dev)`;
    }
    return undefined;
  }
  if (from.top === 'libs' && ['apps', 'scripts', 'test', 'bench'].includes(to.top))
    return `libs import libs only, not ${to.top}/${to.top === 'scripts' ? ' (facts that scripts need too belong in libs/dev)' : ''}`;
  return undefined;
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps apps, libraries, scripts and tests inside their boundaries (scripts/lint/boundaries.js).' },
    schema: [],
    messages: { crossed: '{{file}} may not import {{target}}: {{why}}.' },
  },
  create(context) {
    const file = context.filename;
    const from = locate(file);
    if (from.top !== 'apps' && from.top !== 'libs') return {};
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const abs = target(node.value, file);
      if (!abs) return;
      const why = violation(from, locate(abs), file);
      if (why) context.report({ node, messageId: 'crossed', data: { file: from.rel, target: locate(abs).rel, why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isJestMock = callee.type === 'MemberExpression' && callee.object.name === 'jest' && ['mock', 'requireActual'].includes(callee.property.name);
        if (isRequire || isJestMock) check(node.arguments[0]);
      },
    };
  },
};

module.exports = { plugin: { meta: { name: 'boundaries' }, rules: { imports: importsRule } } };
