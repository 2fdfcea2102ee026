#!/usr/bin/env node
// Prints a development HS256 token and nothing else:
//   npm run token -- --tenant <uuid> --user <uuid> --roles admin[,agent] [--name "Ada"] [--ttl 8h]
// Signed with JWT_SECRET (default: DEV_JWT_SECRET of libs/dev/dev-token.js, which the start script gives the gateway). Production uses RS256
// tokens from the identity provider; the gateway then verifies them against JWT_JWKS_URL.
const { signDevToken } = require('../libs/dev/dev-token');

const ROLES = ['platform_admin', 'admin', 'agent', 'technician', 'viewer'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument: ${argv[i]}`);
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return out;
}

function parseTtl(text) {
  const m = /^(-?\d+)([smhd]?)$/.exec(text || '8h');
  if (!m) throw new Error(`--ttl must look like 3600, 30m, 8h or 7d (got ${text})`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const tenantId = args.tenant || '11111111-1111-4111-8111-111111111111';
  const userId = args.user || '22222222-2222-4222-8222-222222222222';
  const roles = (args.roles || 'admin')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (!UUID.test(tenantId)) throw new Error('--tenant must be a uuid');
  if (!UUID.test(userId)) throw new Error('--user must be a uuid');
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) throw new Error(`unknown role(s): ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  process.stdout.write(signDevToken({ tenantId, userId, roles, name: args.name, secret: args.secret, ttlSeconds: parseTtl(args.ttl) }) + '\n');
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`token: ${e.message}\n`);
    process.exit(2);
  }
}
