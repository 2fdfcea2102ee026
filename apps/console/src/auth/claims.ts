/** What the console shows of a bearer token: who, which tenant, which roles, until when. */
export interface Claims {
  userId: string;
  tenantId: string;
  name: string;
  roles: string[];
  /** Seconds since the epoch; absent when the token has no `exp`. */
  expiresAt?: number;
}

/**
 * Reads a JWT's claims without checking its signature: the gateway checks every request; the console only
 * needs them to greet the person and to hide what their roles may not do. Undefined for what is not a JWT.
 */
export function claimsOf(token: string): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(
      parts[1]
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(parts[1].length / 4) * 4, '='),
    );
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    return {
      userId: typeof payload.sub === 'string' ? payload.sub : '',
      tenantId: typeof payload.tenantId === 'string' ? payload.tenantId : '',
      name: typeof payload.name === 'string' && payload.name ? payload.name : 'Signed-in user',
      roles,
      expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
    };
  } catch {
    return undefined;
  }
}

export function isExpired(claims: Claims, now = Date.now()): boolean {
  return claims.expiresAt !== undefined && claims.expiresAt * 1000 <= now;
}
