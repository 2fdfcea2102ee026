import { getMetadataStorage } from 'class-validator';
import { ErrorCode, HTTP_STATUS_OF } from '../errors/domain-error';
import { ClassSchemas, Schema } from './class-schema';
import { inputLocation, Operation, pathParameters, STREAM_TOKEN_PARAMETER } from './operation';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';
export const API_PREFIX = '/v1';

export interface DocumentInfo {
  version: string;
  tags: ReadonlyArray<{ name: string; description: string }>;
}

export type OpenApiDocument = {
  openapi: string;
  info: Schema;
  servers: Schema[];
  tags: Schema[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema>; parameters: Record<string, Schema> };
  security: Array<Record<string, string[]>>;
};

export type OpenApiOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters: Schema[];
  requestBody?: Schema;
  responses: Record<string, Schema>;
  security?: Array<Record<string, string[]>>;
  'x-roles': string[];
};

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details. `code` is the stable, machine-readable reason; `detail` is for people.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://contractnest.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'the request is not valid' },
    code: { type: 'string', enum: Object.values(ErrorCode) },
    instance: { type: 'string', description: 'The path of the request', example: '/v1/contracts' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request' },
    errors: {
      type: 'object',
      description: 'Per-field validation messages, keyed by the field path',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      example: { 'customer.name': ['customer.name must be a string'] },
    },
    errorId: { type: 'string', description: '5xx only: quote it when reporting the problem' },
    details: { type: 'object', additionalProperties: true, description: 'Machine-readable facts, e.g. the current version on a 409' },
  },
};

const ERROR_MEANING: Record<number, string> = {
  400: 'The request is not valid: the fields are named in `errors`',
  401: 'Missing, invalid or expired credentials',
  403: 'The caller has none of the roles this operation needs, or its tenant is not registered',
  404: 'Not found (also for another tenant’s resources, never 403)',
  409: 'Conflict with the current state',
  413: 'The body is larger than the gateway accepts',
  415: 'The body is not in a content type this operation reads',
  422: 'A business rule refuses the request',
  429: 'The tenant’s rate limit is reached; see `Retry-After`',
  500: 'Unexpected error; quote `errorId`',
  503: 'The broker or the service is down',
  504: 'The service did not answer in time',
};

/** The error codes an operation can answer, its own and those every operation of its kind can. */
export function errorCodesOf(op: Operation): ErrorCode[] {
  const http = op.http!;
  const codes = new Set<ErrorCode>([
    ErrorCode.VALIDATION_FAILED,
    ErrorCode.RATE_LIMITED,
    ErrorCode.INTERNAL,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
  ]);
  codes.add(ErrorCode.UNAUTHENTICATED);
  if (op.roles !== 'public') codes.add(ErrorCode.FORBIDDEN);
  // A public operation answers an unknown tenant like a wrong secret (401), so it reveals no tenant.
  if (op.tenant !== 'any' && op.roles !== 'public') codes.add(ErrorCode.TENANT_UNKNOWN);
  if (pathParameters(http.path).length > 0) codes.add(ErrorCode.NOT_FOUND);
  if (http.method !== 'GET' && http.method !== 'DELETE') {
    codes.add(ErrorCode.PAYLOAD_TOO_LARGE);
    codes.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  }
  if (http.idempotent) {
    codes.add(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    codes.add(ErrorCode.CONFLICT);
  }
  // A list's cursor is checked before it reaches a query.
  if (
    getMetadataStorage()
      .getTargetValidationMetadatas(op.input, '', true, false)
      .some((m) => m.propertyName === 'cursor')
  )
    codes.add(ErrorCode.INVALID_CURSOR);
  for (const c of op.errors) codes.add(c);
  return [...codes];
}

/**
 * The OpenAPI 3.0 document of the HTTP operations: every parameter, body and answer from the classes that
 * validate and build them, the roles (`x-roles` and the description), and every error code by status.
 */
export function buildOpenApiDocument(operations: readonly Operation[], info: DocumentInfo): OpenApiDocument {
  const schemas = new ClassSchemas();
  const paths: OpenApiDocument['paths'] = {};
  for (const op of operations) {
    if (!op.http) continue;
    (paths[op.http.path] ??= {})[op.http.method.toLowerCase()] = operationObject(op, schemas);
  }
  const sortedSchemas = Object.fromEntries(Object.entries({ ...schemas.components, Problem: PROBLEM_SCHEMA }).sort(([a], [b]) => a.localeCompare(b)));
  // What only streaming operations use is declared only when there is one (no unused components).
  const streams = operations.some((op) => op.http?.stream);
  return {
    openapi: '3.0.3',
    info: {
      title: 'ContractNest Ops API',
      version: info.version,
      description:
        'The execution layer for service contracts: contracts and their events, service tickets and appointments, ' +
        'jobs to do (notifications) and their delivery.\n\n' +
        '- Every error is `application/problem+json` (RFC 9457) with a stable `code`.\n' +
        '- Lists take `limit` (1–200, default 50) and an opaque `cursor`, and answer `{ items, nextCursor }`.\n' +
        '- Writes to resources people edit at once name the `version` they read; a stale one answers 409.\n' +
        '- Creating POSTs accept `Idempotency-Key`: the same key and request within 24 h answer the first response again.\n' +
        '- `X-Request-Id` is accepted or generated, returned, and becomes the correlation id of everything the request causes.\n' +
        '- Each operation lists the roles that may call it (`x-roles`); any other caller gets 403.',
      contact: { name: 'ContractNest Ops', url: 'https://contractnest.dev', email: 'api@contractnest.dev' },
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: API_PREFIX, description: 'This gateway' }],
    tags: [...info.tags].sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ ...t })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: sortedSchemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `sub`, `tenantId`, `roles` and `name`' },
        webhookToken: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: 'The tenant’s webhook secret (POST /settings/jtd/webhook-secret makes a new one); MSG91 cannot sign its reports',
        },
        ...(streams
          ? {
              accessToken: {
                type: 'apiKey',
                in: 'query',
                name: STREAM_TOKEN_PARAMETER,
                description:
                  'The bearer JWT in the query string, for event streams opened by a browser’s EventSource (which cannot send headers); never written to logs',
              },
            }
          : {}),
      },
      parameters: {
        RequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description: 'Correlation id of the request (1–128 visible characters); generated when absent, returned on every answer',
          schema: { type: 'string', maxLength: 128 },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Same key and request within 24 h → the first response again (`Idempotent-Replayed: true`); same key, other request → 422 IDEMPOTENCY_KEY_REUSED; while the first runs → 409. ' +
            'A failed attempt (a 504, say) is forgotten, so the same key may be sent again; if that attempt took effect after all, the retry answers its result instead of repeating it.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        },
        ...(streams
          ? {
              LastEventId: {
                name: 'Last-Event-ID',
                in: 'header',
                required: false,
                description: 'Resumes an event stream after this message id (browsers send it on reconnecting); wins over the `lastEventId` query parameter',
                schema: { type: 'string', maxLength: 200 },
              },
            }
          : {}),
      },
    },
    security: [{ bearer: [] }],
  };
}

function operationObject(op: Operation, schemas: ClassSchemas): OpenApiOperation {
  const http = op.http!;
  const input = schemas.inline(op.input);
  const properties = (input.properties ?? {}) as Record<string, Schema>;
  const required = new Set((input.required as string[] | undefined) ?? []);
  const parameters: Schema[] = [{ $ref: '#/components/parameters/RequestId' }];
  if (http.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (http.stream) parameters.push({ $ref: '#/components/parameters/LastEventId' });
  const body: Record<string, Schema> = {};
  for (const name of pathParameters(http.path)) {
    const schema = properties[name];
    if (!schema) throw new Error(`operation ${op.name}: path parameter ${name} is not a field of ${op.input.name}`);
    parameters.push({ name, in: 'path', required: true, description: descriptionOf(schema, name), schema: withoutDescription(schema) });
  }
  for (const [name, schema] of Object.entries(properties)) {
    const where = inputLocation(http, name);
    if (where === 'query')
      parameters.push({ name, in: 'query', required: required.has(name), description: descriptionOf(schema, name), schema: withoutDescription(schema) });
    else if (where === 'body') body[name] = schema;
  }
  if (http.auth) {
    const name = http.auth.queryParameter;
    if (!parameters.some((p) => p.name === name)) throw new Error(`operation ${op.name}: its auth parameter ${name} is not a query field`);
  }

  const out: OpenApiOperation = {
    operationId: op.name,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description}\n\n**Who may call it:** ${op.roles === 'public' ? 'anyone holding the tenant’s webhook secret (no bearer token)' : op.roles.join(', ')}.`,
    parameters,
    responses: {},
    'x-roles': op.roles === 'public' ? [] : [...op.roles],
  };
  if (op.roles === 'public') out.security = [{ webhookToken: [] }];
  if (http.stream) out.security = [{ bearer: [] }, { accessToken: [] }];

  const bodyRequired = [...required].filter((n) => n in body);
  if (http.bodyField) {
    const schema = body[http.bodyField];
    if (!schema || Object.keys(body).length !== 1) throw new Error(`operation ${op.name}: bodyField ${http.bodyField} must be the only body field`);
    out.requestBody = { required: true, content: { 'application/json': { schema } } };
  } else if (Object.keys(body).length > 0) {
    const schema: Schema = { type: 'object', additionalProperties: false, properties: body, ...(bodyRequired.length ? { required: bodyRequired } : {}) };
    const content: Record<string, Schema> = { 'application/json': { schema } };
    if (http.upload) {
      const { [http.upload.field]: _file, ...fields } = body;
      content['application/json'] = { schema: { ...schema, properties: fields, required: bodyRequired.filter((n) => n !== http.upload!.field) } };
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          properties: { ...fields, [http.upload.field]: { type: 'string', format: 'binary', description: http.upload.description } },
          ...(bodyRequired.length ? { required: bodyRequired.filter((n) => n !== http.upload!.field) } : {}),
        },
      };
    }
    out.requestBody = { required: bodyRequired.length > 0, content };
  }

  const status = String(http.status ?? 200);
  out.responses[status] = http.stream
    ? {
        description: 'A server-sent event stream: each message’s `data` is one of these (see the description)',
        content: { [EVENT_STREAM_CONTENT_TYPE]: { schema: schemas.ref(op.output) } },
      }
    : http.download
      ? {
          description: 'The file, with its content type, `Content-Disposition` and `X-Content-SHA256`',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        }
      : { description: 'OK', content: { 'application/json': { schema: schemas.ref(op.output) } } };

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) {
    const s = HTTP_STATUS_OF[code];
    byStatus.set(s, [...(byStatus.get(s) ?? []), code]);
  }
  for (const [s, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out.responses[String(s)] = {
      description: `${ERROR_MEANING[s] ?? 'Error'} (code ${codes.join(', ')})`,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      ...(s === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
    };
  }
  return out;
}

function descriptionOf(schema: Schema, name: string): string {
  return typeof schema.description === 'string' ? schema.description : name;
}

function withoutDescription(schema: Schema): Schema {
  const { description: _d, ...rest } = schema;
  return rest;
}
