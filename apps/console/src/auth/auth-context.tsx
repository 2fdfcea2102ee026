import { createContext, useContext } from 'react';
import type { Claims } from './claims';
import { mayCall, type OperationName } from './roles';

export interface Auth {
  claims: Claims;
  signOut: (why?: string) => void;
  /** Whether the signed-in roles may call an operation (hide or disable what they may not). */
  can: (operation: OperationName) => boolean;
}

export const AuthContext = createContext<Auth | undefined>(undefined);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside a signed-in page');
  return auth;
}

export function authOf(claims: Claims, signOut: Auth['signOut']): Auth {
  return { claims, signOut, can: (operation) => mayCall(claims.roles, operation) };
}
