import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { findEventDefinition, validateEventPayload } from '../catalog/event-catalog';
import { ServiceConfig } from '../config/service-config';
import { sealingKey } from '../security/sealed-fields';
import { afterCommit } from '../db/after-commit';
import { sendWithNext } from '../db/begin-with-first-statement';
import { RequestContext } from '../context/request-context';
import { Envelope, NewDomainEvent } from './envelope';
import { EventValidationError } from './envelope-validation';
import { EventDefinition, payloadSchemaRef } from './event-definition';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { Outbox, OutboxGroup } from './outbox';
import { sealSensitiveFields } from './sensitive-fields';

/**
 * Columns of an outbox row as written by append, with the SQL type each is passed as: an array of that type
 * (`unnest`), or, for the JSON columns, one JSON array (`jsonb_array_elements`). node-postgres writes an array
 * parameter element by element, quoting and escaping each; for JSON text that was ~40 ms per 1,000 rows,
 * where one JSON.stringify of all the rows' values takes ~4 ms.
 */
const COLUMNS: [name: string, type: string][] = [
  ['id', 'uuid'],
  ['type', 'text'],
  ['version', 'int'],
  ['tenant_id', 'uuid'],
  ['correlation_id', 'text'],
  ['causation_id', 'text'],
  ['source', 'text'],
  ['actor', 'jsonb'],
  ['aggregate_id', 'text'],
  ['aggregate_version', 'int'],
  ['idempotency_key', 'text'],
  ['payload', 'jsonb'],
  ['metadata', 'jsonb'],
  ['occurred_at', 'timestamptz'],
  ['retention_class', 'text'],
  ['created_at', 'timestamptz'],
];

/**
 * One statement with one parameter per column, whatever the number of rows: cheap to build and for
 * Postgres to parse and plan (a VALUES list of 1,000 rows has 16,000 parameters). ROWS FROM yields the
 * functions' rows side by side in array order, so `seq` follows the order of the events.
 */
const INSERT_ROWS = `INSERT INTO outbox (${COLUMNS.map(([c]) => c).join(', ')})
  SELECT * FROM ROWS FROM (${COLUMNS.map(([, t], i) => (t === 'jsonb' ? `jsonb_array_elements($${i + 1}::jsonb)` : `unnest($${i + 1}::${t}[])`)).join(', ')})`;

/**
 * The outbox in the service's own schema. Rows are inserted with the caller's transaction, whose commit
 * wakes this process's relay (see OutboxRelay); a rolled-back change wakes nobody.
 *
 * Not NOTIFY: Postgres serialises the commits of all notifying transactions (one global lock held through
 * the WAL flush), which capped every emitting transaction of a service at one fsync each, about 500/s here.
 */
@Injectable()
export class PgOutbox extends Outbox {
  private readonly committedListeners = new Set<() => void>();

  private readonly sealingKey: Buffer;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    config: ServiceConfig,
  ) {
    super();
    this.sealingKey = sealingKey(config.SEALED_FIELDS_KEY);
  }

  append(tx: EntityManager, ctx: RequestContext, events: NewDomainEvent[]): Promise<Envelope[]> {
    return this.appendGroups(tx, [{ ctx, events }]);
  }

  override async appendGroups(tx: EntityManager, groups: OutboxGroup[]): Promise<Envelope[]> {
    if (!tx?.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.append needs the EntityManager of an active transaction (dataSource.transaction(tx => ...))');
    }
    for (const { ctx } of groups) {
      if (!ctx?.tenantId || !ctx.actor || !ctx.correlationId) throw new Error('Outbox.append needs a RequestContext with tenantId, actor and correlationId');
    }
    const envelopes: Envelope[] = [];
    const retention: string[] = [];
    for (const { ctx, events } of groups) {
      for (const e of events) {
        const [env, def] = this.envelopeOf(ctx, e);
        envelopes.push(env);
        retention.push(def.retention);
      }
    }
    if (envelopes.length === 0) return [];
    // Nothing reads the INSERT's answer: it goes out with the transaction's next statement, usually its COMMIT.
    await tx.query(sendWithNext(INSERT_ROWS), [
      envelopes.map((e) => e.id),
      envelopes.map((e) => e.type),
      envelopes.map((e) => e.version),
      envelopes.map((e) => e.tenantId),
      envelopes.map((e) => e.correlationId),
      envelopes.map((e) => e.causationId ?? null),
      envelopes.map((e) => e.source),
      JSON.stringify(envelopes.map((e) => e.actor)),
      envelopes.map((e) => e.aggregateId),
      envelopes.map((e) => e.aggregateVersion ?? null),
      envelopes.map((e) => e.idempotencyKey ?? null),
      JSON.stringify(envelopes.map((e) => e.payload)),
      JSON.stringify(envelopes.map((e) => e.metadata)),
      envelopes.map((e) => e.occurredAt),
      retention,
      envelopes.map((e) => e.timestamp),
    ]);
    afterCommit(tx, 'outbox.appended', () => this.committedListeners.forEach((listener) => listener()));
    return envelopes;
  }

  /** Calls `listener` after every commit of a transaction that appended; returns the unsubscribe. */
  onCommitted(listener: () => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  private envelopeOf(ctx: RequestContext, event: NewDomainEvent): [Envelope, EventDefinition] {
    const def = findEventDefinition(event.type);
    if (!def) throw new EventValidationError(event.type, { type: [`${event.type} is not in the event catalog`] });
    if (!event.aggregateId) throw new EventValidationError(event.type, { aggregateId: ['aggregateId is required'] });
    const timestamp = new Date().toISOString();
    const payload = { ...event.payload, tenantId: ctx.tenantId, occurredAt: event.payload?.occurredAt ?? timestamp };
    const errors = validateEventPayload(def, payload, true);
    if (errors) throw new EventValidationError(event.type, errors);
    // Sealed here, after validation, so that no producer can forget: the row, the broker and every consumer get only the sealed form.
    const stored = sealSensitiveFields(def, payload, this.sealingKey, ctx.tenantId, (path) => {
      throw new EventValidationError(event.type, { [path]: ['a sensitive field must be a string, a number or a boolean'] });
    });
    const envelope: Envelope = {
      id: randomUUID(),
      type: def.type,
      version: def.version,
      timestamp,
      occurredAt: payload.occurredAt,
      tenantId: ctx.tenantId,
      correlationId: ctx.correlationId,
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
      source: this.options.service,
      actor: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
      aggregateId: event.aggregateId,
      ...(event.aggregateVersion !== undefined ? { aggregateVersion: event.aggregateVersion } : {}),
      ...(event.idempotencyKey ? { idempotencyKey: event.idempotencyKey } : {}),
      payload: stored,
      metadata: {
        ...(ctx.actor.type === 'user' ? { userId: ctx.actor.id } : {}),
        requestId: ctx.correlationId,
        version: payloadSchemaRef(def),
        ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
      },
    };
    return [envelope, def];
  }
}
