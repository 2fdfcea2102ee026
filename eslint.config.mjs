import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/lint/boundaries.js';

// Node's globals for the plain-JS scripts (the TypeScript files get them from @types/node).
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    'process',
    '__dirname',
    '__filename',
    'console',
    'Buffer',
    'fetch',
    'URL',
    'URLSearchParams',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'performance',
  ].map((name) => [name, name === 'module' || name === 'exports' ? 'writable' : 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'bench/results/**', 'libs/client/src/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules for all TypeScript: each file is checked with the program of its nearest tsconfig.json
  // (the root one, or apps/console's for the browser app).
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['apps/console/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection: await it, or `void` it with a .catch that logs.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // No source file over 400 lines: split it (data is exempt: migrations, the event catalog, seeded master data).
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['**/migrations/**', 'libs/shared/src/catalog/*.catalog.ts', 'apps/jtd-dispatcher/src/master-data/jtd-master-data.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  // Who may import whom (apps, libs, scripts, tests): scripts/lint/boundaries.js.
  {
    files: ['apps/**/*.{ts,tsx,js}', 'libs/**/*.{ts,tsx,js}'],
    plugins: { boundaries: boundaries.plugin },
    rules: { 'boundaries/imports': 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // TypeORM's own API lists entities and migrations as `Function[]`; the project follows it.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  // The operations console runs in the browser (apps/console/README.md); hooks follow React's rules.
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['apps/console/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['scripts/**/*.js', '*.js', 'bench/**/*.js', 'libs/dev/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
);
