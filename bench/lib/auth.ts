import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** A development token as `npm run token` makes it: HS256 with the gateway's JWT_SECRET. */
export async function signToken(secret: string, claims: { tenantId: string; roles: string[]; sub?: string; name?: string }): Promise<string> {
  return new SignJWT({ tenantId: claims.tenantId, roles: claims.roles, name: claims.name ?? 'Bench User' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? randomUUID())
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}
