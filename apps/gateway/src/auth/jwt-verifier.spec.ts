import { randomUUID } from 'node:crypto';
import { signDevToken } from '../../../../libs/dev/dev-token';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayConfig } from '../gateway.config';
import { JwtVerifier, VERIFIED_TOKEN_CACHE_SIZE, VERIFIED_TOKEN_TTL_MS } from './jwt-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef';
const verifierOf = () => new JwtVerifier(Object.assign(new GatewayConfig(), { JWT_SECRET: SECRET }));
const tokenOf = (claims: { tenantId?: string; roles?: string[]; ttlSeconds?: number; secret?: string; extraClaims?: Record<string, unknown> } = {}) =>
  signDevToken({
    tenantId: claims.tenantId ?? randomUUID(),
    userId: randomUUID(),
    roles: claims.roles ?? ['admin'],
    name: 'Ada',
    secret: claims.secret ?? SECRET,
    ttlSeconds: claims.ttlSeconds,
    extraClaims: claims.extraClaims,
  });

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('JwtVerifier', () => {
  it('answers a token seen before from memory with the same caller', async () => {
    const verifier = verifierOf();
    const token = tokenOf({ roles: ['agent', 'unknown_role'] });
    const first = await verifier.verify(token);
    expect(first.roles).toEqual(['agent']);
    expect(await verifier.verify(token)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
  });

  it('keeps callers of different tokens apart (one entry per exact token)', async () => {
    const verifier = verifierOf();
    const a = tokenOf();
    const b = tokenOf();
    const [ca, cb] = [await verifier.verify(a), await verifier.verify(b)];
    expect(ca.tenantId).not.toBe(cb.tenantId);
    expect((await verifier.verify(a)).tenantId).toBe(ca.tenantId);
  });

  it('refuses a token whose signature was altered, even when the original is remembered', async () => {
    const verifier = verifierOf();
    const token = tokenOf();
    await verifier.verify(token);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(await codeOf(verifier.verify(forged))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verifier.verify(tokenOf({ secret: 'another-secret-0123456789abcdef' })))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('never answers from memory after the token expired', async () => {
    const verifier = verifierOf();
    const token = tokenOf({ ttlSeconds: 20 });
    const now = Date.now();
    await verifier.verify(token, now);
    // 20 s lifetime + 5 s clock tolerance: later than that, the token is checked again and refused.
    expect(await codeOf(verifier.verify(token, now + 26_000))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('checks a long-lived token again once the memory time has passed', async () => {
    const verifier = verifierOf();
    const token = tokenOf({ ttlSeconds: 3600 });
    const now = Date.now();
    const first = await verifier.verify(token, now);
    expect(await verifier.verify(token, now + VERIFIED_TOKEN_TTL_MS - 1)).toBe(first);
    const again = await verifier.verify(token, now + VERIFIED_TOKEN_TTL_MS + 1);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('refuses a token that lives longer than JWT_MAX_TTL_SECONDS, and says so', async () => {
    const verifier = verifierOf();
    const longLived = tokenOf({ ttlSeconds: 76 * 365 * 86400 }); // exp in 2100
    await expect(verifier.verify(longLived)).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
      message: expect.stringMatching(/lives longer.*86400 s/),
    });
    expect((await verifier.verify(tokenOf({ ttlSeconds: 86400 }))).roles).toEqual(['admin']);
    const strict = new JwtVerifier(Object.assign(new GatewayConfig(), { JWT_SECRET: SECRET, JWT_MAX_TTL_SECONDS: 600 }));
    expect(await codeOf(strict.verify(tokenOf({ ttlSeconds: 601 })))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(strict.verify(tokenOf({ ttlSeconds: 600 })))).toBeUndefined();
  });

  it('counts the lifetime from now when the token has no iat, or an iat in the future', async () => {
    const verifier = verifierOf();
    const now = Math.floor(Date.now() / 1000);
    const noIat = tokenOf({ ttlSeconds: 2 * 86400, extraClaims: { iat: undefined } });
    expect(await codeOf(verifier.verify(noIat))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verifier.verify(tokenOf({ ttlSeconds: 3600, extraClaims: { iat: undefined } })))).toBeUndefined();
    // Issued "next year" with a day's lifetime: still a year and a day from now.
    const backdated = tokenOf({ ttlSeconds: 0, extraClaims: { iat: now + 365 * 86400, exp: now + 366 * 86400 } });
    expect(await codeOf(verifier.verify(backdated))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('remembers a bounded number of tokens, forgetting the oldest first', async () => {
    const verifier = verifierOf();
    const tokens = Array.from({ length: VERIFIED_TOKEN_CACHE_SIZE + 1 }, () => tokenOf());
    const first = await verifier.verify(tokens[0]);
    const second = await verifier.verify(tokens[1]);
    for (const t of tokens.slice(2)) await verifier.verify(t);
    expect(await verifier.verify(tokens[1])).toBe(second);
    expect(await verifier.verify(tokens[0])).not.toBe(first);
  });
});
