import { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Envelope, NewDomainEvent } from './envelope';

/**
 * The only way to emit a domain event. Rows are written with the caller's transaction (`tx` must be inside
 * an active transaction, or this throws) and published by the relay after commit, so a rolled-back change
 * publishes nothing. An unknown type or an invalid payload is a programming error and throws. The payload's
 * sensitive fields (catalog) are sealed on the way in: the envelopes returned carry them sealed too.
 */
export abstract class Outbox {
  abstract append(tx: EntityManager, ctx: RequestContext, events: NewDomainEvent[]): Promise<Envelope[]>;
}
