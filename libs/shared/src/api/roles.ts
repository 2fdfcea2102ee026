import { Role } from '../context/request-context';

/*
 * The role sets operations name. An operation lists its roles explicitly; these are only the common sets,
 * so that "everyone in the tenant" is written once. A token with none of an operation's roles gets 403.
 */

/** Everyone who works in a tenant. */
export const TENANT_ROLES = ['admin', 'agent', 'technician', 'viewer'] as const satisfies readonly Role[];
/** Everyone, the platform's own administrators included (read-only platform facts such as the event catalog). */
export const ALL_ROLES = [...TENANT_ROLES, 'platform_admin'] as const satisfies readonly Role[];
/** People who run the work: create and change contracts, tickets, jobs. */
export const OPERATORS = ['admin', 'agent'] as const satisfies readonly Role[];
/** Operators and the technicians in the field. */
export const FIELD_ROLES = ['admin', 'agent', 'technician'] as const satisfies readonly Role[];
