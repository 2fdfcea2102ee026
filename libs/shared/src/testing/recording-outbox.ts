import { randomUUID } from 'node:crypto';
import { findEventDefinition, validateEventPayload } from '../catalog/event-catalog';
import { RequestContext } from '../context/request-context';
import type { Db } from '../db/sql';
import { Envelope, NewDomainEvent } from '../messaging/envelope';
import { EventValidationError } from '../messaging/envelope-validation';
import { payloadSchemaRef } from '../messaging/event-definition';
import { Outbox } from '../messaging/outbox';

/**
 * The outbox of unit tests: keeps what was appended, in order, after the checks the real one makes (a type
 * of the catalog, an aggregate id, a payload its catalog class accepts, strictly), without a database.
 *
 * ```ts
 * const outbox = new RecordingOutbox();
 * ...
 * expect(outbox.ofType('CONTRACT_EVENT_STATUS_CHANGED')[0].payload).toMatchObject({ newStatus: 'completed' });
 * ```
 */
export class RecordingOutbox extends Outbox {
  readonly appended: Envelope[] = [];

  constructor(private readonly source = 'test') {
    super();
  }

  async append(_tx: Db, ctx: RequestContext, events: NewDomainEvent[]): Promise<Envelope[]> {
    const envelopes = events.map((e) => this.envelopeOf(ctx, e));
    this.appended.push(...envelopes);
    return envelopes;
  }

  ofType<P extends object = Record<string, unknown>>(type: string): Envelope<P>[] {
    return this.appended.filter((e) => e.type === type) as Envelope<P>[];
  }

  get types(): string[] {
    return this.appended.map((e) => e.type);
  }

  clear(): void {
    this.appended.length = 0;
  }

  private envelopeOf(ctx: RequestContext, event: NewDomainEvent): Envelope {
    const def = findEventDefinition(event.type);
    if (!def) throw new EventValidationError(event.type, { type: [`${event.type} is not in the event catalog`] });
    if (!event.aggregateId) throw new EventValidationError(event.type, { aggregateId: ['aggregateId is required'] });
    const timestamp = new Date().toISOString();
    const payload = { ...event.payload, tenantId: ctx.tenantId, occurredAt: event.payload?.occurredAt ?? timestamp };
    const errors = validateEventPayload(def, payload, true);
    if (errors) throw new EventValidationError(event.type, errors);
    return {
      id: randomUUID(),
      type: def.type,
      version: def.version,
      timestamp,
      occurredAt: payload.occurredAt,
      tenantId: ctx.tenantId,
      correlationId: ctx.correlationId,
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
      source: this.source,
      actor: ctx.actor,
      aggregateId: event.aggregateId,
      ...(event.aggregateVersion !== undefined ? { aggregateVersion: event.aggregateVersion } : {}),
      payload,
      metadata: { requestId: ctx.correlationId, version: payloadSchemaRef(def) },
    };
  }
}
