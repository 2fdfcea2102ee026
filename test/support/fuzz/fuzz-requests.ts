import type { ParameterObject, ReferenceObject, RequestBodyObject, SchemaObject } from 'openapi3-ts/oas30';
import type { OpenApiOperation } from '@app/shared/contract/openapi-document';
import fc from 'fast-check';
import { SchemaArbitraries } from './schema-arbitrary';

/** A schema of the OpenAPI (3.0) document, or a reference to one. */
type Schema = SchemaObject & { $ref?: string };

/** One request the fuzz test sends. `rawBody` wins over `body` (malformed JSON, hostile keys). */
export interface FuzzRequest {
  operationId: string;
  method: string;
  path: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  /** What was done to the valid request, for the report. */
  mutation: string;
}

/** What the fuzz test needs to know of one operation, read from the OpenAPI document. */
export interface OperationShape {
  operationId: string;
  method: string;
  template: string;
  pathParams: Record<string, Schema>;
  queryParams: Record<string, Schema>;
  requiredQuery: string[];
  body?: Schema;
  multipart: boolean;
}

export function operationShapes(document: { paths: Record<string, Record<string, OpenApiOperation>> }): OperationShape[] {
  const shapes: OperationShape[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters as unknown as Array<ParameterObject | ReferenceObject>).filter((p): p is ParameterObject => !('$ref' in p));
      const content = (op.requestBody as RequestBodyObject | undefined)?.content ?? {};
      shapes.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        template,
        pathParams: Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, p.schema as Schema])),
        queryParams: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema as Schema])),
        requiredQuery: params.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
        body: content['application/json']?.schema as Schema | undefined,
        multipart: !!content['multipart/form-data'],
      });
    }
  }
  return shapes;
}

const HOSTILE_STRINGS = [
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '🧪🔥👩🏽‍🔧',
  'x'.repeat(100_000),
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '',
  ' ',
];
const HOSTILE_NUMBERS = [2147483648, -2147483649, 1e308, -1e308, 2 ** 53 + 2, -1, 0, 0.5, 1e-300];
const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '2026-02-30T10:00:00Z',
  '2026-01-01T25:61:00Z',
  '+275760-09-13T00:00:00Z',
  '99999-01-01',
  'yesterday',
];
const BAD_CURSORS = [
  Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', '-'.repeat(36)])).toString('base64url'),
  Buffer.from('2026-01-01T00:00:00Z|x').toString('base64url'),
  Buffer.from(JSON.stringify([1e308, null])).toString('base64url'),
  'not a cursor',
  '%00',
  'A'.repeat(1999),
];
const BAD_IDS = ['x', '-'.repeat(36), 'a'.repeat(150), '00000000-0000-0000-0000-00000000000g', "1' OR '1'='1", '..', 'ⓤⓤⓘⓓ', 'NaN'];
// 2^53 + 1 and 1e400 cannot be JavaScript numbers: only raw JSON can send them.
const MALFORMED_BODIES = [
  '{"version":9007199254740993,"limit":1e400}',
  '{"a":',
  'null',
  '[null]',
  '"text"',
  '1',
  '[]',
  '{"a":1}}',
  '\u0000',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
];
const WRONG_TYPES: unknown[] = [123, 'text', true, null, [], {}, [1, 2], { nested: { deep: 1 } }];

/** Field names of a body schema, resolved. */
function bodyFields(body: Schema | undefined, resolve: (s: Schema) => Schema): { fields: Record<string, Schema>; required: string[] } {
  if (!body) return { fields: {}, required: [] };
  const s = resolve(body);
  return {
    fields: Object.fromEntries(Object.entries((s.properties ?? {}) as Record<string, Schema>).map(([k, v]) => [k, resolve(v)])),
    required: s.required ?? [],
  };
}

/**
 * The valid requests of an operation and the mutations of them. Valid ones keep to the document; each
 * mutation breaks one thing a client (or an attacker) gets wrong.
 */
export function requestsFor(shape: OperationShape, arbs: SchemaArbitraries, components: Record<string, Schema>): fc.Arbitrary<FuzzRequest> {
  const resolve = (s: Schema): Schema =>
    s?.$ref ? resolve(components[s.$ref.replace('#/components/schemas/', '')]) : s?.allOf ? resolve(s.allOf[0] as Schema) : s;
  const valid = fc.record({
    path: fc.record(Object.fromEntries(Object.entries(shape.pathParams).map(([k, s]) => [k, arbs.of(s).map(String)]))) as fc.Arbitrary<Record<string, string>>,
    query: fc.record(Object.fromEntries(Object.entries(shape.queryParams).map(([k, s]) => [k, arbs.of(s)])), {
      requiredKeys: shape.requiredQuery,
    }) as fc.Arbitrary<Record<string, unknown>>,
    body: shape.body ? arbs.of(shape.body) : fc.constant(undefined),
  });
  const { fields, required } = bodyFields(shape.body, resolve);
  const fieldNames = Object.keys(fields);
  const stringFields = fieldNames.filter((f) => fields[f]?.type === 'string');
  const numberFields = fieldNames.filter((f) => fields[f]?.type === 'integer' || fields[f]?.type === 'number');
  const dateFields = fieldNames.filter((f) => fields[f]?.format === 'date' || fields[f]?.format === 'date-time');
  const arrayFields = fieldNames.filter((f) => fields[f]?.type === 'array');
  const queryNames = Object.keys(shape.queryParams);
  const pathNames = Object.keys(shape.pathParams);
  const isObjectBody = !!shape.body && resolve(shape.body)?.type === 'object';

  type Mutate = (r: Omit<FuzzRequest, 'operationId' | 'method' | 'mutation'>, pick: number) => Omit<FuzzRequest, 'operationId' | 'method'> | null;
  const withBody = (r: { body?: unknown }, field: string, value: unknown) => ({ ...(r.body as object), [field]: value });
  const nth = <T>(list: T[], pick: number) => list[pick % list.length];
  const mutations: Record<string, Mutate> = {
    valid: (r) => ({ ...r, mutation: 'valid' }),
    wrongType: (r, p) =>
      isObjectBody && fieldNames.length
        ? { ...r, body: withBody(r, nth(fieldNames, p), nth(WRONG_TYPES, p >> 3)), mutation: `wrong type in ${nth(fieldNames, p)}` }
        : null,
    missingRequired: (r, p) => {
      if (!isObjectBody || !required.length) return null;
      const body = { ...(r.body as object) } as Record<string, unknown>;
      delete body[nth(required, p)];
      return { ...r, body, mutation: `without ${nth(required, p)}` };
    },
    unknownField: (r) =>
      isObjectBody
        ? { ...r, body: withBody(r, 'zzUnknown', 1), mutation: 'unknown body field' }
        : { ...r, query: { ...r.query, zzUnknown: '1' }, mutation: 'unknown query field' },
    hostileBodyString: (r, p) =>
      isObjectBody && stringFields.length
        ? { ...r, body: withBody(r, nth(stringFields, p), nth(HOSTILE_STRINGS, p >> 3)), mutation: `hostile string in ${nth(stringFields, p)}` }
        : null,
    hostileQueryString: (r, p) =>
      queryNames.length
        ? {
            ...r,
            query: { ...r.query, [nth(queryNames, p)]: nth(HOSTILE_STRINGS, p >> 3).slice(0, 5000) },
            mutation: `hostile string in query ${nth(queryNames, p)}`,
          }
        : null,
    outOfRange: (r, p) => {
      if (isObjectBody && numberFields.length)
        return { ...r, body: withBody(r, nth(numberFields, p), nth(HOSTILE_NUMBERS, p >> 3)), mutation: `out of range ${nth(numberFields, p)}` };
      const q = queryNames.filter((n) => ['integer', 'number'].includes(String(shape.queryParams[n]?.type)));
      return q.length ? { ...r, query: { ...r.query, [nth(q, p)]: String(nth(HOSTILE_NUMBERS, p >> 3)) }, mutation: `out of range query ${nth(q, p)}` } : null;
    },
    impossibleDate: (r, p) => {
      if (isObjectBody && dateFields.length)
        return { ...r, body: withBody(r, nth(dateFields, p), nth(IMPOSSIBLE_DATES, p >> 3)), mutation: `impossible date in ${nth(dateFields, p)}` };
      const q = queryNames.filter((n) => ['date', 'date-time'].includes(String(shape.queryParams[n]?.format)));
      return q.length ? { ...r, query: { ...r.query, [nth(q, p)]: nth(IMPOSSIBLE_DATES, p >> 3) }, mutation: `impossible date in query ${nth(q, p)}` } : null;
    },
    hugeArray: (r, p) =>
      isObjectBody && arrayFields.length
        ? {
            ...r,
            body: withBody(
              r,
              nth(arrayFields, p),
              Array.from({ length: 10_000 }, () => ({})),
            ),
            mutation: `10,000 items in ${nth(arrayFields, p)}`,
          }
        : null,
    deepNesting: (r) => {
      let deep: unknown = 'x';
      for (let i = 0; i < 200; i++) deep = { a: deep };
      return isObjectBody ? { ...r, body: withBody(r, fieldNames[0] ?? 'a', deep), mutation: 'nested 200 levels' } : null;
    },
    badCursor: (r, p) => ('cursor' in shape.queryParams ? { ...r, query: { ...r.query, cursor: nth(BAD_CURSORS, p) }, mutation: 'bad cursor' } : null),
    badId: (r, p) =>
      pathNames.length ? { ...r, path: { ...r.path, [nth(pathNames, p)]: nth(BAD_IDS, p >> 3) }, mutation: `bad path ${nth(pathNames, p)}` } : null,
    malformedBody: (r, p) =>
      shape.method !== 'GET' && shape.method !== 'DELETE'
        ? { ...r, rawBody: nth(MALFORMED_BODIES, p), mutation: `malformed body ${JSON.stringify(nth(MALFORMED_BODIES, p))}` }
        : null,
    protoKey: (r) =>
      isObjectBody ? { ...r, rawBody: JSON.stringify(r.body).replace(/^\{/, '{"__proto__":{"roles":["platform_admin"]},'), mutation: '__proto__ key' } : null,
    wrongContentType: (r, p) =>
      shape.method !== 'GET' && shape.method !== 'DELETE'
        ? {
            ...r,
            rawBody: JSON.stringify(r.body ?? {}),
            contentType: nth(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'], p),
            mutation: 'wrong content type',
          }
        : null,
    repeatedQuery: (r) =>
      queryNames.length ? { ...r, query: { ...r.query, [queryNames[0]]: ['a', 'b'] }, mutation: `repeated query ${queryNames[0]}` } : null,
  };
  // About a third valid, so that the handlers behind validation are reached too.
  const names = Object.keys(mutations);
  const choice = fc.oneof({ weight: names.length / 2, arbitrary: fc.constant('valid') }, { weight: names.length, arbitrary: fc.constantFrom(...names) });
  return fc
    .tuple(valid, choice, fc.nat({ max: 1 << 16 }))
    .map(([r, name, pick]) => mutations[name](r, pick) ?? mutations.unknownField(r, pick)!)
    .map((r) => ({ ...r, operationId: shape.operationId, method: shape.method }));
}

/** The URL of a request (path parameters filled in, query serialised as a browser would). */
export function urlOf(base: string, shape: OperationShape, r: FuzzRequest): string {
  const path = shape.template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(r.path[name] ?? 'missing'));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
  }
  const qs = q.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}
