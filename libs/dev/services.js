// The apps of the stack, their schema, database role and port. One list, used by the scripts (plain Node, no
// build step: this library is CommonJS with hand-written types in services.d.ts), the test helpers of
// libs/shared and the tests.
const SERVICES = [
  { name: 'gateway', schema: 'gateway', role: 'cn_gateway', port: 3000 },
  { name: 'events', schema: 'events', role: 'cn_events', port: 3101 },
  { name: 'tickets', schema: 'tickets', role: 'cn_tickets', port: 3102 },
  { name: 'jtd-dispatcher', schema: 'jtd', role: 'cn_jtd', port: 3103 },
];

/** Development passwords; production sets DB_PASSWORD per app. */
function rolePassword(service) {
  return process.env[`${service.role.toUpperCase()}_PASSWORD`] || `${service.role}_dev`;
}

module.exports = { SERVICES, rolePassword };
