export interface DevTokenInput {
  tenantId: string;
  userId: string;
  roles: string[];
  name?: string;
  secret?: string;
  /** Lifetime in seconds; negative for an already expired token. */
  ttlSeconds?: number;
  extraClaims?: Record<string, unknown>;
}
export function signDevToken(input: DevTokenInput): string;
export const DEV_JWT_SECRET: string;
