import { FieldErrors } from '../errors/domain-error';
import { isSealed, redactSealed, seal, SEALED_PLACEHOLDER } from '../security/sealed-fields';
import { EventDefinition } from './event-definition';

/*
 * The catalog's `sensitive` paths applied to payloads: sealed when an event is appended (and again on
 * receipt, should a message arrive from elsewhere with the value in clear), redacted wherever an event is
 * shown. A path is dot-separated keys; `*` stands for any key or list index.
 */

/** A copy of `value` with `fn` applied at every place `path` names; places that do not exist stay absent. */
function mapAt(value: unknown, path: readonly string[], fn: (v: unknown, at: string) => unknown, at = ''): unknown {
  if (path.length === 0) return fn(value, at);
  if (typeof value !== 'object' || value === null || isSealed(value)) return value;
  const [head, ...rest] = path;
  const step = (k: string, v: unknown) => mapAt(v, rest, fn, at ? `${at}.${k}` : k);
  if (Array.isArray(value)) return value.map((v, i) => (head === '*' || head === String(i) ? step(String(i), v) : v));
  const obj = value as Record<string, unknown>;
  if (head !== '*') return Object.prototype.hasOwnProperty.call(obj, head) ? { ...obj, [head]: step(head, obj[head]) } : obj;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, step(k, v)]));
}

function pathsOf(def: Pick<EventDefinition, 'sensitive'> | undefined): string[][] {
  return (def?.sensitive ?? []).map((p) => p.split('.'));
}

/**
 * Seals the clear values at the definition's sensitive paths (a sealed one is left as it is). A number or
 * boolean is sealed as its text; any other non-string is reported through `refuse`, since a secret is a value.
 */
export function sealSensitiveFields<P>(
  def: Pick<EventDefinition, 'sensitive'>,
  payload: P,
  key: Buffer,
  tenantId: string,
  refuse: (path: string) => void = () => undefined,
): P {
  let out: unknown = payload;
  for (const path of pathsOf(def)) {
    out = mapAt(out, path, (v, at) => {
      if (v === null || v === undefined || isSealed(v)) return v;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return seal(String(v), key, tenantId);
      refuse(at);
      return v;
    });
  }
  return out as P;
}

/**
 * What a reader of the event log or a dead letter may see of a payload: every sealed value, and anything
 * at a sensitive path even if it slipped through unsealed, becomes `[sealed]`.
 */
export function redactSensitiveFields<P>(def: Pick<EventDefinition, 'sensitive'> | undefined, payload: P): P {
  let out: unknown = redactSealed(payload);
  for (const path of pathsOf(def)) out = mapAt(out, path, (v) => (v === null || v === undefined ? v : SEALED_PLACEHOLDER));
  return out as P;
}

/**
 * Validation errors minus those of sealed values at sensitive paths: the schema describes the clear value
 * (a string, say), which the producer's outbox checked before sealing it.
 */
export function withoutSealedFieldErrors(def: Pick<EventDefinition, 'sensitive'>, payload: unknown, errors: FieldErrors): FieldErrors {
  const sealedAt = new Set<string>();
  for (const path of pathsOf(def)) mapAt(payload, path, (v, at) => (isSealed(v) && sealedAt.add(at), v));
  if (sealedAt.size === 0) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([field]) => ![...sealedAt].some((at) => field === at || field.startsWith(`${at}.`))));
}
