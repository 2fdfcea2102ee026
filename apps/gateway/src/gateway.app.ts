import multipart from '@fastify/multipart';
import { INestApplication, Module, ModuleMetadata, RequestMethod, ValidationPipe } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppConfigModule } from '@app/shared/config/config.module';
import { loadConfig } from '@app/shared/config/load-config';
import { DomainError } from '@app/shared/errors/domain-error';
import { createLogger, PinoNestLogger } from '@app/shared/logging/logger';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { ObservabilityModule } from '@app/shared/observability/observability.module';
import { flattenValidationErrors, VALIDATION_OPTIONS } from '@app/shared/validation/validate-dto';
import { AuthGuard } from './auth/auth.guard';
import { JwtVerifier } from './auth/jwt-verifier';
import { serveOpenApi } from './docs/openapi';
import { GatewayConfig } from './gateway.config';
import { HttpLifecycle } from './http/http-lifecycle';
import { registerHttpObservability } from './http/http-observability';
import { registerSecurityHeaders } from './http/security-headers';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RateLimitGuard } from './http/rate-limit.guard';
import { registerRequestContext } from './http/request-context.hook';
import { requestIdOf } from './http/request-id';
import { EventsRoutesModule } from './routes/events.routes.module';
import { JtdRoutesModule } from './routes/jtd.routes.module';
import { MessagingRoutesModule } from './routes/messaging.routes.module';
import { TicketsRoutesModule } from './routes/tickets.routes.module';
import { GatewayDatabase } from './idempotency/gateway-database';
import { applyIdempotencyToPosts } from './idempotency/idempotent-posts';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { RpcModule } from './rpc/rpc.module';
import { SystemStatusController } from './system/system-status.controller';

export interface GatewayAppOptions {
  /** Extra modules (tests mount probe routes with it). */
  imports?: ModuleMetadata['imports'];
}

/** Builds and starts the gateway from an environment. */
export async function createGatewayApp(env: Record<string, string | undefined>, options: GatewayAppOptions = {}): Promise<INestApplication> {
  const config = loadConfig(GatewayConfig, env);
  const logger = createLogger('gateway', config.LOG_LEVEL);

  @Module({
    imports: [
      AppConfigModule.forRoot(config),
      ObservabilityModule.forApp('gateway'),
      RpcModule,
      EventsRoutesModule,
      TicketsRoutesModule,
      JtdRoutesModule,
      MessagingRoutesModule,
      ...(options.imports ?? []),
    ],
    controllers: [SystemStatusController],
    providers: [
      JwtVerifier,
      HttpLifecycle,
      // Order matters: authenticate first, then limit by the caller's tenant.
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      GatewayDatabase,
      IdempotencyStore,
      // Not global: attached to the POST routes only (applyIdempotencyToPosts).
      IdempotencyInterceptor,
    ],
  })
  class GatewayModule {}

  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, genReqId: requestIdOf, requestIdHeader: false });
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
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'"],
      },
    },
  });
  // Two fastify type copies (root and @nestjs/platform-fastify's) make plugin types disagree; runtime is one.
  await app.register(multipart as never, { limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 10, fields: 50 } });
  registerHttpObservability(fastify, logger, app.get(MetricsService), app.get(HttpLifecycle));
  registerRequestContext(fastify);
  applyIdempotencyToPosts(app, app.get(IdempotencyInterceptor));

  app.setGlobalPrefix('v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATION_OPTIONS,
      transform: true,
      exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  serveOpenApi(app);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
