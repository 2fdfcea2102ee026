import { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Envelope, NewDomainEvent } from './envelope';

/** Events emitted on behalf of one request: its context gives them tenant, actor, correlation and trace. */
export interface OutboxGroup {
  ctx: RequestContext;
  events: NewDomainEvent[];
}

/**
 * The only way to emit a domain event. Rows are written with the caller's transaction (`tx` must be inside
 * an active transaction, or this throws) and published by the relay after commit, so a rolled-back change
 * publishes nothing. An unknown type or an invalid payload is a programming error and throws. The payload's
 * sensitive fields (catalog) are sealed on the way in: the envelopes returned carry them sealed too.
 */
export abstract class Outbox {
  abstract append(tx: EntityManager, ctx: RequestContext, events: NewDomainEvent[]): Promise<Envelope[]>;

  /**
   * The events of several requests of one transaction (a shared activation transaction answers many), in
   * the order given, each group with its own context. The database outbox writes them in one statement.
   */
  async appendGroups(tx: EntityManager, groups: OutboxGroup[]): Promise<Envelope[]> {
    const out: Envelope[] = [];
    for (const g of groups) out.push(...(await this.append(tx, g.ctx, g.events)));
    return out;
  }
}
