import fc from 'fast-check';
import type { SchemaObject } from 'openapi3-ts/oas30';
import { ClassSchemas } from '@app/shared/contract/class-schema';
import { SchemaArbitraries } from './schema-arbitrary';

type Schema = SchemaObject & { $ref?: string };
type Container = Record<string, unknown> | unknown[];
/** A place in a value where a mutation can land: a property (present or only declared) or an array item. */
interface Slot {
  parent: Container;
  key: string | number;
  schema: Schema | undefined;
}

const UUID = 'b7c3a8e2-4f1d-4c9a-9e2b-1d2c3b4a5f60';
/**
 * Values that sit on the edges of the rules we use: formats that ajv-formats and validator.js read
 * differently (dates without offsets, impossible days, upper-case and nil UUIDs), numbers that are not
 * JSON (NaN, Infinity: event payloads are made in code), the query-string forms @QueryInt converts.
 */
const NASTY: unknown[] = [
  null,
  undefined,
  '',
  ' ',
  'x',
  0,
  -1,
  1.5,
  2 ** 31,
  1e308,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  {},
  [null],
  ['x'],
  [1, 1],
  { a: 1 },
  '20',
  'true',
  '1',
  'not-a-uuid',
  UUID.toUpperCase(),
  '00000000-0000-0000-0000-000000000000',
  '0190b6e2-4f1d-7c9a-9e2b-1d2c3b4a5f60',
  'b7c3a8e2-4f1d-4c9a-9e2b-1d2c3b4a5f6',
  '2026-02-30',
  '2026-01-31',
  '2026-1-31',
  '2026-01-31T10:00:00',
  '2026-01-31T10:00:00Z',
  '2026-01-31T10:00Z',
  '2026-01-31T24:00:00Z',
  '2026-01-31T10:00:00.123456789+05:30',
  '0001-01-01T00:00:00Z',
  '20260131',
  '2026-W05',
  'a@b.co',
  'https://example.com/x',
  'ftp://example.com',
  'Europe/Berlin',
  'Mars/Olympus',
  '#fff',
  '#ggg',
  '12.3456',
  '1.23456',
  'service',
  'email',
  'in_progress',
  '😀',
  'e\u0301',
  '\uFE0F',
];

/** Every slot of a value, walking its schema beside it (the schema gives the bounds to probe). */
function slotsOf(value: unknown, schema: Schema | undefined, components: Record<string, Schema>, out: Slot[] = []): Slot[] {
  const s = resolve(schema, components);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ parent: value, key: i, schema: s?.items as Schema | undefined });
      slotsOf(item, s?.items as Schema | undefined, components, out);
    });
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const props = (s?.properties ?? {}) as Record<string, Schema>;
    for (const key of new Set([...Object.keys(props), ...Object.keys(record)])) {
      out.push({ parent: record, key, schema: props[key] });
      if (key in record) slotsOf(record[key], props[key], components, out);
    }
  }
  return out;
}

/** The schema itself, behind `$ref`, `allOf` (one element) and a nullable `anyOf`. */
function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  let s = schema;
  for (let i = 0; s && i < 5; i++) {
    if (s.$ref) s = components[s.$ref.replace('#/components/schemas/', '')];
    else if (s.allOf?.length === 1) s = s.allOf[0] as Schema;
    else if (s.anyOf) s = (s.anyOf as Schema[]).find((b) => !(b.enum?.length === 1 && b.enum[0] === null));
    else break;
  }
  return s;
}

/** Values on and just past the bounds of a slot's schema, and values of the other types. */
function boundaryValues(schema: Schema | undefined, components: Record<string, Schema>): unknown[] {
  const s = resolve(schema, components);
  if (!s) return [];
  const out: unknown[] = [];
  if (typeof s.maxLength === 'number') {
    const n = s.maxLength;
    // Exactly n characters as ajv counts them (code points) and as validator.js does (minus U+FE0F).
    out.push('a'.repeat(n), 'a'.repeat(n + 1), '😀'.repeat(n), '😀'.repeat(n + 1), `${'a'.repeat(n)}\uFE0F`, `${'a'.repeat(Math.max(n - 1, 0))}\uFE0F`);
  }
  for (const bound of [s.minimum, s.maximum]) if (typeof bound === 'number') out.push(bound - 1, bound, bound + 1, bound + 0.5, bound - 0.5);
  if (typeof s.maxItems === 'number' || typeof s.minItems === 'number') {
    const item = s.items && (resolve(s.items as Schema, components)?.enum?.[0] ?? UUID);
    for (const n of [s.minItems ?? 0, (s.minItems ?? 1) - 1, s.maxItems ?? 0, (s.maxItems ?? 0) + 1])
      if (n >= 0) out.push(Array.from({ length: n }, () => item));
  }
  if (s.enum) out.push(...s.enum.map((e) => (typeof e === 'string' ? e.toUpperCase() : e)));
  return out;
}

// structuredClone keeps NaN, Infinity, undefined and own `__proto__` keys, which JSON would lose.
const clone = <T>(v: T): T => structuredClone(v);

const pick = <T>(rnd: () => number, xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

/** One mutation of a (deep-copied) value: a slot deleted, replaced by an edge value, or an unknown field added. */
function mutate(value: unknown, rnd: () => number, components: Record<string, Schema>, root: Schema): unknown {
  const copy = clone(value);
  const slots = slotsOf(copy, root, components);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const objects = [copy, ...slots.map((s) => (s.parent as Record<string | number, unknown>)[s.key])].filter(
    (v) => v && typeof v === 'object' && !Array.isArray(v),
  ) as Array<Record<string, unknown>>;
  const r = rnd();
  if (r < 0.1 && objects.length) {
    const target = pick(objects);
    // A key JSON.parse makes an own property (a literal would set the prototype instead).
    const extra = pick(['extra', 'constructor', 'toString', '__proto__', 'tenantid']);
    Object.assign(target, JSON.parse(`{"${extra}": ${JSON.stringify(pick(NASTY.filter((v) => v !== undefined)) ?? null)}}`));
    return copy;
  }
  if (!slots.length) return copy;
  const slot = pick(slots);
  const parent = slot.parent as Record<string | number, unknown>;
  if (r < 0.25) {
    if (Array.isArray(parent)) parent.splice(slot.key as number, 1);
    else delete parent[slot.key];
    return copy;
  }
  if (r < 0.3 && Array.isArray(parent)) {
    parent.push(clone(parent[slot.key]));
    return copy;
  }
  const bounds = boundaryValues(slot.schema, components);
  parent[slot.key] = clone(r < 0.65 && bounds.length ? pick(bounds) : pick(NASTY));
  return copy;
}

/** A seeded generator, so a corpus can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inputs for a class: `valid` drawn from its document schema (ClassSchemas, the one the OpenAPI document
 * shows), each followed by `mutations` mutants of one or two mutations.
 */
export function corpusFor(cls: Function, seed: number, valid: number, mutations: number): unknown[] {
  const schemas = new ClassSchemas();
  const root = schemas.ref(cls) as Schema;
  const components = schemas.components as Record<string, Schema>;
  const base = fc.sample(new SchemaArbitraries(components).of(root), { seed, numRuns: valid });
  const rnd = mulberry32(seed);
  const out: unknown[] = [];
  for (const drawn of base) {
    // fast-check makes some objects without a prototype, which JSON never does: the clone gives them one.
    const v = rnd() < 0.8 ? clone(drawn) : drawn;
    // @IsTimeZone is a plain string to the document: without real zones no input would be valid.
    for (const slot of slotsOf(v, root, components)) {
      const parent = slot.parent as Record<string | number, unknown>;
      if (slot.key === 'timezone' && typeof parent[slot.key] === 'string') parent[slot.key] = pick(rnd, ['Asia/Kolkata', 'Europe/Berlin', 'UTC']);
    }
    out.push(v);
    for (let i = 0; i < mutations; i++) {
      const once = mutate(v, rnd, components, root);
      out.push(rnd() < 0.3 ? mutate(once, rnd, components, root) : once);
    }
  }
  return out;
}
