import { ACTOR_TYPES } from '../context/actor';
import { findEventDefinition, validateEventPayload } from '../catalog/event-catalog';
import { FieldErrors } from '../errors/domain-error';
import { Envelope } from './envelope';

/** Why a message cannot be handled; the reason of its dead letter. */
export type RejectReason = 'unparseable' | 'invalid_envelope' | 'unknown_type' | 'invalid_payload';

export type IncomingCheck = { ok: true; envelope: Envelope } | { ok: false; reason: RejectReason; errors: FieldErrors; envelope?: Partial<Envelope> };

/** Thrown by the outbox: publishing an unknown type or an invalid payload is a bug in the caller. */
export class EventValidationError extends Error {
  constructor(
    readonly type: string,
    readonly errors: FieldErrors,
  ) {
    super(
      `domain event ${type} is not valid: ${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v.join(', ')}`)
        .join('; ')}`,
    );
    this.name = 'EventValidationError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a message received from the broker: envelope shape, catalog type, payload. Extra payload fields are
 * tolerated (a newer producer), missing or malformed ones are not.
 */
export function checkIncoming(body: Buffer | string): IncomingCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    return { ok: false, reason: 'unparseable', errors: { body: [`not JSON: ${(e as Error).message}`] } };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'unparseable', errors: { body: ['must be a JSON object'] } };
  }
  const env = parsed as Partial<Envelope>;
  const errors = envelopeErrors(env);
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid_envelope', errors, envelope: env };
  const def = findEventDefinition(env.type!);
  if (!def) return { ok: false, reason: 'unknown_type', errors: { type: [`${env.type} is not in the event catalog`] }, envelope: env };
  const payloadErrors = validateEventPayload(def, env.payload, false);
  if (payloadErrors) return { ok: false, reason: 'invalid_payload', errors: prefix('payload', payloadErrors), envelope: env };
  if ((env.payload as { tenantId?: string }).tenantId !== env.tenantId) {
    return { ok: false, reason: 'invalid_payload', errors: { 'payload.tenantId': ['must equal the envelope tenantId'] }, envelope: env };
  }
  return { ok: true, envelope: env as Envelope };
}

function envelopeErrors(env: Partial<Envelope>): FieldErrors {
  const errors: FieldErrors = {};
  const need = (field: string, ok: boolean, message: string) => {
    if (!ok) errors[field] = [message];
  };
  need('id', typeof env.id === 'string' && UUID.test(env.id), 'id must be a UUID');
  need('type', typeof env.type === 'string' && env.type.length > 0, 'type must be a non-empty string');
  need('tenantId', typeof env.tenantId === 'string' && UUID.test(env.tenantId), 'tenantId must be a UUID');
  need('timestamp', typeof env.timestamp === 'string' && !Number.isNaN(Date.parse(env.timestamp)), 'timestamp must be an ISO 8601 date');
  need('correlationId', typeof env.correlationId === 'string' && env.correlationId.length > 0, 'correlationId must be a non-empty string');
  need('source', typeof env.source === 'string' && env.source.length > 0, 'source must be a non-empty string');
  need('aggregateId', typeof env.aggregateId === 'string' && env.aggregateId.length > 0, 'aggregateId must be a non-empty string');
  need(
    'aggregateVersion',
    env.aggregateVersion === undefined || env.aggregateVersion === null || (Number.isInteger(env.aggregateVersion) && env.aggregateVersion >= 0),
    'aggregateVersion must be a non-negative integer',
  );
  const actor = env.actor as { type?: string; id?: string; name?: string } | undefined;
  need(
    'actor',
    !!actor && ACTOR_TYPES.includes(actor.type as never) && typeof actor.id === 'string' && typeof actor.name === 'string',
    'actor must be { type: user|vani|system|webhook, id, name }',
  );
  need('payload', !!env.payload && typeof env.payload === 'object' && !Array.isArray(env.payload), 'payload must be an object');
  return errors;
}

function prefix(p: string, errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${p}.${k}`, v]));
}
