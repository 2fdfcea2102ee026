import { traceparentHeader } from '../observability/tracing';
import { Envelope } from './envelope';

/** A row of the outbox table as pg returns it. */
export interface OutboxRow {
  id: string;
  seq: string;
  type: string;
  version: number;
  tenant_id: string;
  correlation_id: string;
  causation_id: string | null;
  source: string;
  actor: Envelope['actor'];
  aggregate_id: string;
  aggregate_version: number | null;
  idempotency_key: string | null;
  payload: Record<string, unknown>;
  metadata: Envelope['metadata'];
  created_at: Date;
  published_at: Date | null;
}

export function envelopeOfRow(row: OutboxRow): Envelope {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    timestamp: row.created_at.toISOString(),
    occurredAt: String(row.payload.occurredAt),
    tenantId: row.tenant_id,
    correlationId: row.correlation_id,
    ...(row.causation_id ? { causationId: row.causation_id } : {}),
    source: row.source,
    actor: row.actor,
    aggregateId: row.aggregate_id,
    ...(row.aggregate_version !== null ? { aggregateVersion: row.aggregate_version } : {}),
    ...(row.idempotency_key ? { idempotencyKey: row.idempotency_key } : {}),
    payload: row.payload,
    metadata: row.metadata,
  };
}

/** AMQP properties mirror the envelope so tools can route and trace without parsing the body. */
export function publishOptionsOf(env: Envelope, traceparent = traceparentOfEnvelope(env)) {
  return {
    persistent: true,
    mandatory: true,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    messageId: env.id,
    type: env.type,
    correlationId: env.correlationId,
    timestamp: Math.floor(Date.parse(env.timestamp) / 1000),
    appId: env.source,
    headers: {
      'x-cn-tenant-id': env.tenantId,
      'x-cn-timestamp': env.timestamp,
      'x-cn-aggregate-id': env.aggregateId,
      ...(traceparent ? { traceparent } : {}),
    },
  };
}

/** The traceparent its producer recorded (metadata.traceparent), when it is a well-formed one. */
export function traceparentOfEnvelope(env: Pick<Envelope, 'metadata'>): string | undefined {
  return traceparentHeader(env.metadata?.traceparent);
}
