import { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { ApiExcludeController, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ErrorCode } from '@app/shared/errors/domain-error';
import { ObservabilityController } from '@app/shared/observability/observability.controller';
import { packageVersion } from '@app/shared/rpc/system-status.controller';
import { PROBLEM_CONTENT_TYPE } from '../http/problem-details';

// class-transformer's metadata (for @Type of nested DTOs) lives in a module it does not export by name.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://contractnest.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'the request is not valid' },
    code: { type: 'string', enum: Object.values(ErrorCode) },
    instance: { type: 'string', example: '/v1/contracts' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request' },
    errors: {
      type: 'object',
      description: 'Per-field validation messages, keyed by the field path',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      example: { 'customer.name': ['customer.name must be a string'] },
    },
    errorId: { type: 'string', description: '5xx only: quote it when reporting the problem' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

/** Error responses every route can give; documented once instead of on each route. */
const COMMON_ERRORS: Record<string, string> = {
  '400': 'Validation failed (the fields are named in `errors`)',
  '401': 'Missing, invalid or expired bearer token',
  '403': 'The caller has none of the roles this route needs',
  '404': 'Not found (also for another tenant’s resources)',
  '429': 'Rate limit of the tenant reached; see `Retry-After`',
  '500': 'Unexpected error; see `errorId`',
  '503': 'The broker or the service is down',
  '504': 'The service did not answer in time',
};

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'Same key and body within 24 h → the first response again (Idempotent-Replayed: true); same key, other body → 422',
  schema: { type: 'string' as const, maxLength: 255 },
};

// Probes and metrics scrapes are not part of the API (the shared controller does not load swagger itself).
ApiExcludeController()(ObservabilityController);

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ContractNest Ops API')
    .setDescription(
      'The execution layer for service contracts: contracts and their events, service tickets and appointments, ' +
        'jobs to do (notifications). Every error is `application/problem+json`. Creating POSTs accept `Idempotency-Key`.',
    )
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  doc.components = { ...doc.components, schemas: { ...(doc.components?.schemas ?? {}), Problem: PROBLEM_SCHEMA as never } };
  fillSchemasFromValidation(doc.components.schemas as Record<string, SchemaLike>);
  for (const item of Object.values(doc.paths)) {
    if (item.post) item.post.parameters = [...(item.post.parameters ?? []), IDEMPOTENCY_KEY_PARAMETER];
    for (const op of Object.values(item) as Array<{ responses?: Record<string, unknown> } | undefined>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      op.responses ??= {};
      for (const [status, description] of Object.entries(COMMON_ERRORS)) {
        op.responses[status] ??= { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
      }
    }
  }
  return doc;
}

type SchemaLike = { properties?: Record<string, unknown>; $ref?: string; [k: string]: unknown };

/**
 * DTOs are validated by class-validator; most carry no @ApiProperty. Nest's explorer then emits an empty
 * schema for them, so each empty one is replaced by the schema generated from its validation rules (and
 * the classes those refer to are added), keeping the document and the validation in step.
 */
function fillSchemasFromValidation(schemas: Record<string, SchemaLike>): void {
  const generated = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
  }) as Record<string, SchemaLike>;
  const pending = Object.keys(schemas).filter((name) => isEmptySchema(schemas[name]) && generated[name]);
  while (pending.length > 0) {
    const name = pending.pop()!;
    schemas[name] = generated[name];
    for (const ref of refsIn(generated[name])) if (!schemas[ref] && generated[ref]) pending.push(ref);
  }
}

function isEmptySchema(schema: SchemaLike | undefined): boolean {
  return !!schema && !schema.$ref && !schema.allOf && !schema.oneOf && Object.keys(schema.properties ?? {}).length === 0;
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v.replace('#/components/schemas/', ''));
      else refsIn(v, out);
    }
  }
  return out;
}

/**
 * Swagger UI at /docs and the document at /docs/openapi.json, outside the /v1 prefix and without auth.
 * Nest's bundled UI needs @fastify/static; the UI's three files are served from swagger-ui-dist instead.
 */
export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', raw: ['json'], ui: false });
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
    'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  };
  fastify.get('/docs', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(UI_HTML);
  });
  fastify.get('/docs/assets/init.js', (_req, reply) => {
    void reply.type(files['swagger-ui-bundle.js']).send(UI_INIT);
  });
  fastify.get<{ Params: { file: string } }>('/docs/assets/:file', async (req, reply) => {
    const type = files[req.params.file];
    if (!type) return reply.callNotFound();
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(await readFile(join(assets, req.params.file)));
  });
}

const UI_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ContractNest Ops API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

const UI_INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  persistAuthorization: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;
