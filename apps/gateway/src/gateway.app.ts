import multipart from '@fastify/multipart';
import { INestApplication, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { OPERATIONS } from '@app/shared/api/operations';
import { AppConfigModule } from '@app/shared/config/config.module';
import { loadConfig } from '@app/shared/config/load-config';
import { checkRegistry, Operation } from '@app/shared/contract/operation';
import { createLogger, PinoNestLogger } from '@app/shared/logging/logger';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { ObservabilityModule } from '@app/shared/observability/observability.module';
import { FileStore } from '@app/shared/storage/file-store';
import { LocalFileStore } from '@app/shared/storage/local-file-store';
import { Authenticator } from './auth/authenticator';
import { JwtVerifier } from './auth/jwt-verifier';
import { MachineCredentials } from './auth/machine-credentials';
import { MachineCredentialsHandler } from './auth/machine-credentials.handler';
import { TenantRegistry } from './auth/tenant-registry';
import { serveConsole } from './console/console.routes';
import { serveOpenApi } from './docs/openapi';
import { GatewayConfig } from './gateway.config';
import { HttpLifecycle } from './http/http-lifecycle';
import { registerHttpObservability } from './http/http-observability';
import { clientErrorHandler, frameworkErrors, MAX_HEADER_BYTES, MAX_PARAM_LENGTH } from './http/edge-errors';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RateLimiter } from './http/rate-limiter';
import { registerRequestContext } from './http/request-context.hook';
import { requestIdOf } from './http/request-id';
import { registerSecurityHeaders } from './http/security-headers';
import { GatewayDatabase } from './idempotency/gateway-database';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IdempotentRequests } from './idempotency/idempotent-requests';
import { GATEWAY_OPERATIONS, OperationRouter } from './operations/operation-router';
import { DeadLettersHandler } from './platform/dead-letters.handler';
import { EventCatalogHandler } from './platform/event-catalog.handler';
import { EventLogHandler } from './platform/event-log.handler';
import { SystemStatusHandler } from './platform/system-status.handler';
import { RpcModule } from './rpc/rpc.module';
import { StreamHandler } from './stream/stream.handler';
import { StreamHub } from './stream/stream-hub';
import { StreamSubscriber } from './stream/stream-subscriber';

export interface GatewayAppOptions {
  /** Operations served besides the registry's (tests mount probe operations with it). */
  operations?: readonly Operation[];
  /** Where log lines go instead of stdout (tests read what the gateway writes down). */
  logDestination?: DestinationStream;
}

/** Builds and starts the gateway from an environment. */
export async function createGatewayApp(env: Record<string, string | undefined>, options: GatewayAppOptions = {}): Promise<INestApplication> {
  const config = loadConfig(GatewayConfig, env);
  const logger = createLogger('gateway', config.LOG_LEVEL, options.logDestination);
  const operations = [...OPERATIONS, ...(options.operations ?? [])];
  checkRegistry(operations);

  @Module({
    imports: [AppConfigModule.forRoot(config), ObservabilityModule.forApp('gateway'), RpcModule, DiscoveryModule],
    providers: [
      { provide: GATEWAY_OPERATIONS, useValue: operations },
      JwtVerifier,
      MachineCredentials,
      MachineCredentialsHandler,
      Authenticator,
      TenantRegistry,
      RateLimiter,
      HttpLifecycle,
      GatewayDatabase,
      IdempotencyStore,
      IdempotentRequests,
      OperationRouter,
      // Uploads go to the shared file store at the edge; only references travel to the services.
      { provide: FileStore, useValue: new LocalFileStore(config.EVIDENCE_STORAGE_DIR) },
      // What the gateway answers itself, composing the services' answers.
      SystemStatusHandler,
      EventCatalogHandler,
      EventLogHandler,
      DeadLettersHandler,
      // GET /v1/stream: the broker's changes, fanned out to this replica's open streams.
      StreamHub,
      StreamSubscriber,
      StreamHandler,
    ],
  })
  class GatewayModule {}

  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler,
    // Two fastify type copies (root and @nestjs/platform-fastify's) make these types disagree; runtime is one.
    frameworkErrors: frameworkErrors as never,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  registerSecurityHeaders(fastify, {
    // Swagger UI needs inline styles and data: images; the API itself only returns JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  // Two fastify type copies (root and @nestjs/platform-fastify's) make plugin types disagree; runtime is one.
  await app.register(multipart as never, { limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 50 } });
  registerHttpObservability(fastify, logger, app.get(MetricsService), app.get(HttpLifecycle));
  registerRequestContext(fastify);
  // The one error path: Nest routes Fastify's errors and unknown routes through it too (405 needs the routes).
  app.useGlobalFilters(new ProblemDetailsFilter((path) => app.get(OperationRouter).allowedMethods(path)));
  await app.init();
  app.get(OperationRouter).register(fastify);
  serveOpenApi(fastify, operations);
  serveConsole(fastify, logger, config.CONSOLE_DIR);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
