import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { HealthService, ReadinessReport } from '@app/shared/observability/health.service';
import { packageVersion, ServiceStatus, SYSTEM_STATUS_PATTERN } from '@app/shared/rpc/system-status.controller';
import { ServiceName, SERVICES } from '@app/shared/rpc/rpc-request';
import { Roles } from '../auth/roles.decorator';
import { Ctx } from '../http/request-context.decorator';
import { ServiceRpc } from '../rpc/service-rpc';

class ServiceStatusView {
  @ApiProperty({ example: 'events' }) name!: string;
  @ApiProperty({ enum: ['up', 'degraded', 'down'], description: 'up: answered and ready; degraded: answered but not ready; down: no answer' })
  status!: 'up' | 'degraded' | 'down';
  @ApiPropertyOptional({ example: '0.1.0' }) version?: string;
  @ApiPropertyOptional({ description: "The service's readiness report (database and broker checks)" }) readiness?: ServiceStatus['readiness'];
  @ApiPropertyOptional() startedAt?: string;
  @ApiPropertyOptional() uptimeSeconds?: number;
  @ApiProperty({ description: 'Gateway → service → gateway over RabbitMQ, in milliseconds' }) roundTripMs!: number;
  @ApiPropertyOptional({ example: 'SERVICE_UNAVAILABLE' }) errorCode?: string;
  @ApiPropertyOptional() error?: string;
}

class SystemStatusView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ description: 'The gateway itself: version and readiness (broker and its own database)' })
  gateway!: { name: string; version: string; readiness: ReadinessReport };
  @ApiProperty({ type: [ServiceStatusView] }) services!: ServiceStatusView[];
  @ApiProperty() checkedAt!: string;
}

/** The first wire through the whole system: asks every service over RabbitMQ who and how it is. */
@ApiTags('system')
@Controller('system')
export class SystemStatusController {
  private readonly version = packageVersion();

  constructor(
    private readonly rpc: ServiceRpc,
    private readonly health: HealthService,
  ) {}

  @Get('status')
  @Roles('admin', 'platform_admin')
  @ApiOperation({ summary: 'Name, version, readiness and RPC round-trip time of every service' })
  @ApiOkResponse({ type: SystemStatusView })
  async status(@Ctx() ctx: RequestContext): Promise<SystemStatusView> {
    const [gatewayReadiness, services] = await Promise.all([
      this.health.readiness(),
      Promise.all(SERVICES.map((service) => this.statusOf(service, ctx))),
    ]);
    return {
      status: gatewayReadiness.status === 'ok' && services.every((s) => s.status === 'up') ? 'ok' : 'degraded',
      gateway: { name: 'gateway', version: this.version, readiness: gatewayReadiness },
      services,
      checkedAt: new Date().toISOString(),
    };
  }

  /** One service's answer; a service that is down is reported as such, never as a failure of the whole. */
  private async statusOf(service: ServiceName, ctx: RequestContext): Promise<ServiceStatusView> {
    const started = process.hrtime.bigint();
    const elapsedMs = () => Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    try {
      const s = await this.rpc.call<ServiceStatus>(service, SYSTEM_STATUS_PATTERN, ctx, {});
      return { ...s, name: service, status: s.readiness?.status === 'ok' ? 'up' : 'degraded', roundTripMs: elapsedMs() };
    } catch (e) {
      const roundTripMs = elapsedMs();
      const err = e instanceof DomainError ? e : undefined;
      const reason = typeof err?.details?.reason === 'string' ? ` (${err.details.reason})` : '';
      return { name: service, status: 'down', roundTripMs, errorCode: err?.code ?? 'INTERNAL', error: (err?.message ?? 'the call failed') + reason };
    }
  }

}
