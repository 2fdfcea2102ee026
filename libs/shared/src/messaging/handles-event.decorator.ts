import { SetMetadata } from '@nestjs/common';
import type { RequestContext } from '../context/request-context';
import type { Envelope } from './envelope';

export const HANDLES_EVENT = Symbol('handles-event');

export interface HandlesEventOptions {
  /**
   * Apply events of one aggregate in `aggregateVersion` order: a stale version is ignored, one that is
   * ahead of the next expected version is retried later.
   */
  ordered?: boolean;
}

export interface HandlesEventMetadata extends HandlesEventOptions {
  types: string[];
  /** Set by `@HandlesEventBatch`: the method takes the messages of a delivery batch at once. */
  batch?: boolean;
}

/** One message of a batch handed to a `@HandlesEventBatch` method, with the context its own work runs in. */
export interface EventBatchItem<P extends object = object> {
  event: Envelope<P>;
  ctx: RequestContext;
}

/**
 * Marks a provider method as the handler of domain event types. The method is called as
 * `(event: Envelope<P>, tx: EntityManager, ctx: RequestContext)` inside one transaction that also records
 * the message in the inbox, so a redelivery has no second effect. Whatever it appends to the outbox with
 * `tx` and `ctx` is caused by (and correlated with) this event.
 */
export function HandlesEvent(types: string | string[], options: HandlesEventOptions = {}): MethodDecorator {
  return SetMetadata<symbol, HandlesEventMetadata>(HANDLES_EVENT, { types: Array.isArray(types) ? types : [types], ...options });
}

/**
 * Like `@HandlesEvent`, for handlers whose per-message cost is a round trip that many messages can share (one
 * multi-row INSERT instead of one per message). The method is called as
 * `(items: EventBatchItem<P>[], tx: EntityManager)`: the new messages of one type that were delivered
 * together, in delivery order, duplicates already left out; each item's `ctx` is what that message's own
 * work (outbox appends) must run with. The method must treat the items as if they had come one by one, in
 * that order.
 *
 * Isolation is kept: if the call throws, its work is rolled back and each message is handled again alone
 * (the method called with one item), so only the failing message is retried. A message that arrives alone
 * is a batch of one. Not for `ordered` handlers (their per-aggregate version check is per message).
 */
export function HandlesEventBatch(types: string | string[]): MethodDecorator {
  return SetMetadata<symbol, HandlesEventMetadata>(HANDLES_EVENT, { types: Array.isArray(types) ? types : [types], batch: true });
}
