import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BaseConfig } from '../config/service-config';
import { PROBLEM_CONTENT_TYPE } from '../contract/openapi-document';
import { ErrorCode } from '../errors/domain-error';
import { problemTypeOf } from '../errors/problem-type';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

/**
 * `/health/live`, `/health/ready` and Prometheus `/metrics` on every app (outside the /v1 prefix). Not API
 * operations: the OpenAPI document, made from the operation registry, does not list them. Health stays
 * open for the orchestrator's probes; metrics (routes, traffic per tenant, internals) answer only the
 * bearer METRICS_TOKEN when one is configured.
 */
@Controller()
export class ObservabilityController {
  private readonly metricsToken: Buffer | undefined;

  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    config: BaseConfig,
  ) {
    this.metricsToken = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() reply: FastifyReply) {
    const report = await this.health.readiness();
    return reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  @Get('metrics')
  async prometheus(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    if (!this.mayReadMetrics(authorization)) {
      const problem = {
        type: problemTypeOf(ErrorCode.UNAUTHENTICATED),
        title: 'Unauthorized',
        status: 401,
        detail: 'metrics need the bearer token configured as METRICS_TOKEN',
        code: ErrorCode.UNAUTHENTICATED,
        instance: '/metrics',
      };
      return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    }
    return reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.render());
  }

  private mayReadMetrics(authorization: string | undefined): boolean {
    if (!this.metricsToken) return true;
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // Digests of equal length, compared in constant time: neither the token nor its length leaks by timing.
    return presented !== undefined && timingSafeEqual(digest(presented), this.metricsToken);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
