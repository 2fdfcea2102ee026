// One jest run covers every tier; file names say which tier a test is (see README "Tests").
const swc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
swc.jsc.baseUrl = __dirname;

const ESM_ONLY = '(jose|@apidevtools/json-schema-ref-parser)';

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  // ESM-only packages (jose; json-schema-ref-parser under swagger-parser): Node 20's require(esm) works at
  // runtime but not inside jest, so jest compiles them.
  transform: { '^.+\\.ts$': ['@swc/jest', swc], [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ['@swc/jest', swc] },
  transformIgnorePatterns: [`^(?!.*/node_modules/${ESM_ONLY}/).*/node_modules/`],
  moduleNameMapper: { '^@app/shared/(.*)$': '<rootDir>/libs/shared/src/$1', '^@app/client/(.*)$': '<rootDir>/libs/client/src/$1' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
