import { SetMetadata } from '@nestjs/common';

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
