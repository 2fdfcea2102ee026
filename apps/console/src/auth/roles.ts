import operationRoles from 'virtual:operation-roles';
import type { paths } from '../../../../libs/client/src/client';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** An operation as the role matrix names it: `POST /events/{id}/transitions`. */
export type OperationName = `${Method} ${keyof paths & string}`;

/** Whether these roles may call the operation (the OpenAPI document's `x-roles`; the gateway enforces it). */
export function mayCall(roles: readonly string[], operation: OperationName): boolean {
  const allowed = operationRoles[operation];
  return allowed !== undefined && roles.some((r) => allowed.includes(r));
}
