import { Injectable } from '@nestjs/common';
import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { ROLES, Role } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { GatewayConfig } from '../gateway.config';

export interface VerifiedCaller {
  userId: string;
  tenantId: string;
  roles: Role[];
  name: string;
  /** When the token expires (ms since the epoch): a stream opened with it ends then. */
  expiresAt?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A verified token is remembered this long (never past its `exp`): a client sends the same token on every
 * request, and checking its signature again (WebCrypto, a thread-pool round trip) was the gateway's largest
 * cost per request. No longer than the JWKS cache itself (10 min), so remembering adds no staleness that a
 * key rotation did not already have.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Bounds the memory: at most this many tokens (~1 KB each) are remembered; the oldest goes first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 5_000;

interface Remembered {
  caller: VerifiedCaller;
  until: number;
}

/**
 * Verifies bearer tokens: RS256 against the identity provider's JWKS when JWT_JWKS_URL is set (production),
 * else HS256 with JWT_SECRET (development and tests). Only the expected algorithm is accepted, so a token
 * cannot choose how it is checked.
 */
@Injectable()
export class JwtVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** Keyed by the whole token (signature included), so an entry can only ever answer for that exact token. */
  private readonly verified = new Map<string, Remembered>();

  constructor(private readonly config: GatewayConfig) {
    if (config.JWT_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.JWT_JWKS_URL), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.algorithms = ['RS256'];
    } else {
      // A KeyObject made once: jose would otherwise import the raw secret again on every request.
      this.key = createSecretKey(Buffer.from(config.JWT_SECRET ?? '', 'utf8'));
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string, now = Date.now()): Promise<VerifiedCaller> {
    const known = this.verified.get(token);
    if (known) {
      if (known.until > now) return known.caller;
      this.verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
        currentDate: new Date(now),
      };
      ({ payload } = this.key instanceof KeyObject ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw unauthenticated('the token has expired');
      // The identity provider's keys could not be fetched: the token may be fine, the gateway cannot tell.
      if (e instanceof errors.JWKSTimeout || ((e as Error)?.name === 'TypeError' && /fetch/i.test((e as Error).message)) || isJwksHttpFailure(e)) {
        throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'tokens cannot be verified right now; retry shortly', {
          reason: 'identity provider keys unavailable',
        });
      }
      throw unauthenticated('the token is not valid');
    }
    this.checkLifetime(payload, now);
    const caller = callerOf(payload);
    this.remember(token, caller, payload.exp, now);
    return caller;
  }

  /**
   * Refuses a token that lives longer than JWT_MAX_TTL_SECONDS. Counted from `iat`, or from now when the
   * token has none or claims to be issued in the future (else a future `iat` would stretch the lifetime).
   */
  private checkLifetime(payload: JWTPayload, now: number): void {
    const nowSeconds = Math.floor(now / 1000);
    const from = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
    const max = this.config.JWT_MAX_TTL_SECONDS;
    if ((payload.exp as number) - from > max) throw unauthenticated(`the token lives longer than this gateway accepts (at most ${max} s from issue to expiry)`);
  }

  private remember(token: string, caller: VerifiedCaller, exp: number | undefined, now: number): void {
    // `exp` is a required claim; without it (not possible after jwtVerify) nothing is remembered.
    if (typeof exp !== 'number') return;
    const until = Math.min(exp * 1000, now + VERIFIED_TOKEN_TTL_MS);
    if (until <= now) return;
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { caller, until });
  }
}

function callerOf(payload: JWTPayload): VerifiedCaller {
  const { sub, tenantId, roles, name } = payload as JWTPayload & { tenantId?: unknown; roles?: unknown; name?: unknown };
  if (typeof sub !== 'string' || !UUID.test(sub)) throw unauthenticated('the token has no valid sub (user id)');
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) throw unauthenticated('the token has no valid tenantId');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw unauthenticated('the token has no roles array');
  // Roles this system does not know are ignored rather than refused: the identity provider may carry others.
  const known = roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  // Frozen: the same object answers every request that carries this token.
  return Object.freeze({
    userId: sub,
    tenantId,
    roles: Object.freeze(known) as Role[],
    name: typeof name === 'string' && name ? name : sub,
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
  });
}

export function unauthenticated(message: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, message);
}

/** jose reports a JWKS endpoint answering non-2xx as a plain JOSEError with this message. */
function isJwksHttpFailure(e: unknown): boolean {
  return e instanceof errors.JOSEError && !(e instanceof errors.JWKSNoMatchingKey) && /Expected 200 OK from the JSON Web Key Set/.test(e.message);
}
