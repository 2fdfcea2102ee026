import { randomUUID } from 'node:crypto';
import { signDevToken } from '../../../../scripts/token';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayConfig } from '../gateway.config';
import { JwtVerifier, VERIFIED_TOKEN_CACHE_SIZE, VERIFIED_TOKEN_TTL_MS } from './jwt-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef';
const verifierOf = () => new JwtVerifier(Object.assign(new GatewayConfig(), { JWT_SECRET: SECRET }));
const tokenOf = (claims: { tenantId?: string; roles?: string[]; ttlSeconds?: number; secret?: string } = {}) =>
  signDevToken({ tenantId: claims.tenantId ?? randomUUID(), userId: randomUUID(), roles: claims.roles ?? ['admin'], name: 'Ada', secret: claims.secret ?? SECRET, ttlSeconds: claims.ttlSeconds });

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
