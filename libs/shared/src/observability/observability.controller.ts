import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

/**
 * `/health/live`, `/health/ready` and Prometheus `/metrics` on every app (outside the /v1 prefix). Not API
 * operations: the OpenAPI document, made from the operation registry, does not list them.
 */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

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
  async prometheus(@Res() reply: FastifyReply) {
    return reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.render());
  }
}
