import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { API_TAGS } from '@app/shared/api/operations';
import { buildOpenApiDocument, OpenApiDocument } from '@app/shared/contract/openapi-document';
import { Operation } from '@app/shared/contract/operation';
import { packageVersion } from '@app/shared/rpc/system-status.controller';

/** The document of the operations this gateway serves. */
export function openApiDocumentOf(operations: readonly Operation[]): OpenApiDocument {
  return buildOpenApiDocument(operations, { version: packageVersion(), tags: API_TAGS });
}

/**
 * Swagger UI at /docs and the document at /docs/openapi.json, outside /v1 and without auth. The document is
 * built once at boot from the operation declarations; the UI's files come from swagger-ui-dist, offline.
 */
export function serveOpenApi(fastify: FastifyInstance, operations: readonly Operation[]): void {
  const document = JSON.stringify(openApiDocumentOf(operations));
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
    'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  };
  fastify.get('/docs/openapi.json', (_req, reply) => {
    void reply.type('application/json; charset=utf-8').send(document);
  });
  fastify.get('/docs', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(UI_HTML);
  });
  fastify.get('/docs/assets/init.js', (_req, reply) => {
    void reply.type(files['swagger-ui-bundle.js']).send(UI_INIT);
  });
  fastify.get<{ Params: { file: string } }>('/docs/assets/:file', async (req, reply) => {
    const type = files[req.params.file];
    if (!type) return reply.callNotFound();
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=86400')
      .send(await readFile(join(assets, req.params.file)));
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
