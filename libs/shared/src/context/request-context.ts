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
  /** W3C traceparent of the span doing this work (observability/tracing.ts); handed on by every hop. */
  traceparent?: string;
}

/** What the async context holds: the context, or an empty slot until the work learns who asks. */
interface ContextSlot {
  ctx?: RequestContext;
}

const storage = new AsyncLocalStorage<ContextSlot>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run({ ctx }, fn);
}

/**
 * Runs `fn` in a context whose caller is not known yet; `fillContext` sets it later from inside. The
 * gateway opens the slot when a request reaches its handler and fills it once the token is verified, so
 * everything the request does afterwards is in its context without wrapping the handler again.
 */
export function runWithPendingContext<T>(fn: () => T): T {
  return storage.run({}, fn);
}

/** Fills the slot opened by runWithPendingContext; false when the caller runs outside one. */
export function fillContext(ctx: RequestContext): boolean {
  const slot = storage.getStore();
  if (!slot) return false;
  slot.ctx = ctx;
  return true;
}

/** The context of the work in progress, if any (used by the logger to stamp correlation ids). */
export function currentContext(): RequestContext | undefined {
  return storage.getStore()?.ctx;
}

/** A context for work the system starts on its own (scheduler, relay), for one tenant. */
export function systemContext(tenantId: string, correlationId: string = randomUUID(), actor: Actor = SYSTEM_ACTORS.system): RequestContext {
  return { tenantId, actor, roles: [], correlationId };
}
