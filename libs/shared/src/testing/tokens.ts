import { signDevToken } from '../../../dev/dev-token';
import { Role } from '../context/request-context';
import { TEST_JWT_SECRET } from './test-environment';

export interface TokenInput {
  tenantId: string;
  userId: string;
  roles: Role[];
  name?: string;
  /** Lifetime in seconds; negative for an expired token. */
  ttlSeconds?: number;
  /** Defaults to the secret TestEnvironment.env() gives the gateway. */
  secret?: string;
}

/** A bearer token the gateway under test accepts (HS256 with TEST_JWT_SECRET). */
export function tokenFor(input: TokenInput): string {
  return signDevToken({ ...input, name: input.name ?? 'Test User', secret: input.secret ?? TEST_JWT_SECRET });
}

/** `{ authorization: 'Bearer …' }` for fetch. */
export function authHeader(input: TokenInput): Record<string, string> {
  return { authorization: `Bearer ${tokenFor(input)}` };
}
