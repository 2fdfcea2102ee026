import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Actor, SYSTEM_ACTORS } from './actor';

export const ROLES = ['platform_admin', 'admin', 'agent', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Everything a use case needs to know about who asks and in which flow. It travels with every RPC call
 * and every domain event, so a use case can never forget the tenant or the actor.
 */
export interface RequestContext {
  tenantId: string;
  actor: Actor;
  roles: Role[];
  /** The request or business flow; becomes `correlationId` of every message it causes. */
  correlationId: string;
  /** The message that caused this work, when a domain event triggered it. */
  causationId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context of the work in progress, if any (used by the logger to stamp correlation ids). */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** A context for work the system starts on its own (scheduler, relay), for one tenant. */
export function systemContext(tenantId: string, correlationId: string = randomUUID(), actor: Actor = SYSTEM_ACTORS.system): RequestContext {
  return { tenantId, actor, roles: [], correlationId };
}
