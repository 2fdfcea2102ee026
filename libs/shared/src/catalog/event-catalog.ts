import { plainToInstance } from 'class-transformer';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { getMetadataStorage, validateSync } from 'class-validator';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EventDefinition, payloadSchemaRef, RETENTION_DAYS } from '../messaging/event-definition';
import { FieldErrors } from '../errors/domain-error';
import { redactSensitiveFields, withoutSealedFieldErrors } from '../messaging/sensitive-fields';
import { redactSealed } from '../security/sealed-fields';
import { fastAccepts } from '../validation/fast-validator';
import { flattenValidationErrors } from '../validation/validate-dto';
import { ACTIVITY_KIT_EVENTS } from './activities-kits.catalog';
import { CONTRACT_LIFECYCLE_EVENTS } from './contract-lifecycle.catalog';
import { EVENTS_SERVICE_EVENTS } from './events-service.catalog';
import { JTD_EVENTS } from './jtd.catalog';
import { PLATFORM_EVENTS } from './platform.catalog';
import { TICKETS_EVENTS } from './tickets.catalog';

/**
 * The event catalog: every domain event type of the system, defined once in the file of the service that
 * produces it. Adding an event is one `defineEvent` entry there and nothing else: validation on publish and
 * receipt, the JSON Schema served by the gateway and the retention of the event log all derive from it.
 */
const ALL: EventDefinition[] = [];
const BY_TYPE = new Map<string, EventDefinition>();
type JsonSchema = Record<string, unknown>;
let schemaCache: Record<string, JsonSchema> | undefined;

function add(defs: EventDefinition[]): void {
  for (const def of defs) {
    if (BY_TYPE.has(def.type)) throw new Error(`event type ${def.type} is defined twice in the catalog`);
    BY_TYPE.set(def.type, def);
    ALL.push(def);
  }
  schemaCache = undefined;
}

add([...PLATFORM_EVENTS, ...EVENTS_SERVICE_EVENTS, ...CONTRACT_LIFECYCLE_EVENTS, ...ACTIVITY_KIT_EVENTS, ...TICKETS_EVENTS, ...JTD_EVENTS]);

export function allEventDefinitions(): EventDefinition[] {
  return ALL;
}

export function findEventDefinition(type: string): EventDefinition | undefined {
  return BY_TYPE.get(type);
}

/**
 * Adds definitions at runtime. For tests only (messaging tests need event types no service emits);
 * production types belong in a catalog file. Registering a type twice with the same definition is a no-op
 * so several test files in one worker can share a fixture.
 */
export function registerEventDefinitions(defs: EventDefinition[]): void {
  add(defs.filter((d) => BY_TYPE.get(d.type) !== d));
}

/**
 * Checks a payload against its type's class. `strict` (on publish) also refuses fields the class does
 * not declare: the producer and the catalog live in the same code, so an extra field is a bug. On receipt
 * extra fields are tolerated, since a newer producer may already send what this consumer's catalog lacks.
 * Returns the problems per field path, or undefined when the payload is valid.
 */
export function validateEventPayload(def: EventDefinition, payload: unknown, strict: boolean): FieldErrors | undefined {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { payload: ['payload must be an object'] };
  // The compiled validator accepts only what class-validator accepts; a refusal gets class-validator's answer.
  if (fastAccepts(def.payload, payload, strict)) return undefined;
  const instance = plainToInstance(def.payload, payload, { enableImplicitConversion: false });
  const errors = validateSync(instance as object, { whitelist: strict, forbidNonWhitelisted: strict, forbidUnknownValues: true });
  if (errors.length === 0) return undefined;
  const fields = withoutSealedFieldErrors(def, payload, flattenValidationErrors(errors));
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * An envelope as readers may see it (event log, dead letters): sealed values, and whatever sits at its type's
 * sensitive paths, read `[sealed]`. Anything else about the envelope is kept, even if it is malformed.
 */
export function redactEnvelope<E extends { type?: unknown; payload?: unknown }>(envelope: E): E {
  const def = typeof envelope.type === 'string' ? findEventDefinition(envelope.type) : undefined;
  return redactSealed({ ...envelope, payload: redactSensitiveFields(def, envelope.payload) });
}

/** What `GET /v1/event-catalog` lists for one type. */
export interface EventCatalogEntry {
  type: string;
  version: number;
  category: string;
  description: string;
  retention: string;
  retentionDays: number;
  producers: string[];
  payloadSchemaRef: string;
  sensitiveFields: string[];
}

export function catalogEntry(def: EventDefinition): EventCatalogEntry {
  return {
    type: def.type,
    version: def.version,
    category: def.category,
    description: def.description,
    retention: def.retention,
    retentionDays: RETENTION_DAYS[def.retention],
    producers: [...def.producers],
    payloadSchemaRef: payloadSchemaRef(def),
    sensitiveFields: [...(def.sensitive ?? [])],
  };
}

function namedSchemas(): Record<string, JsonSchema> {
  schemaCache ??= validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/definitions/',
  }) as Record<string, JsonSchema>;
  return schemaCache;
}

/**
 * The JSON Schema (draft-07 style, `definitions` for nested classes) of a type's payload, generated from
 * the same class-validator class that validates it, so the two can never disagree.
 */
export function payloadJsonSchema(def: EventDefinition): JsonSchema {
  const root = targetConstructorToSchema(def.payload, {
    classTransformerMetadataStorage: defaultMetadataStorage,
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: '#/definitions/',
  }) as JsonSchema;
  const named = namedSchemas();
  const definitions: Record<string, JsonSchema> = {};
  const pending = collectRefs(root);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (definitions[name] || !named[name]) continue;
    definitions[name] = named[name];
    pending.push(...collectRefs(named[name]));
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: payloadSchemaRef(def),
    title: def.payload.name,
    description: def.description,
    ...root,
    type: 'object',
    ...(Object.keys(definitions).length > 0 ? { definitions } : {}),
  };
}

function collectRefs(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const s of schema) collectRefs(s, out);
  } else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) out.push(v.slice('#/definitions/'.length));
      else collectRefs(v, out);
    }
  }
  return out;
}
