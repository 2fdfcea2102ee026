// Development HS256 tokens: what `npm run token` prints, `npm start` hands out and the tests send. Plain
// CommonJS (types in dev-token.d.ts) so the scripts can require it without a build step.
const { createHmac, randomUUID } = require('node:crypto');

/** The gateway's development secret (production refuses it: libs/shared/src/security/dev-defaults.ts). */
const DEV_JWT_SECRET = 'dev-secret-change-me-0123456789abcdef';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Signs an HS256 JWT with the claims the gateway expects. Synchronous so tests and scripts can use it
 * anywhere. `ttlSeconds` may be negative to make an expired token.
 */
function signDevToken({ tenantId, userId, roles, name, secret, ttlSeconds = 8 * 3600, extraClaims = {} }) {
  const key = secret || process.env.JWT_SECRET || DEV_JWT_SECRET;
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: userId, tenantId, roles, name: name || 'Developer', iat: now, exp: now + ttlSeconds, jti: randomUUID(), ...extraClaims };
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

module.exports = { signDevToken, DEV_JWT_SECRET };
