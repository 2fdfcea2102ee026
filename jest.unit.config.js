// `npm run test:unit`: the unit tier alone — `*.spec.ts`, no I/O, no global setup (no PostgreSQL, RabbitMQ or
// Redis needed), so it runs in seconds anywhere. `npm test` still runs every tier (jest.config.js).
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/*.spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 10000,
};
