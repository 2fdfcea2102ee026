import { Injectable } from '@nestjs/common';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { getServiceStatus, getSystemStatus } from '@app/shared/api/platform/platform.operations';
import { ServiceStatusView, SystemStatusView } from '@app/shared/api/platform/system-status.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { HealthService } from '@app/shared/observability/health.service';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ServiceName, SERVICES } from '@app/shared/rpc/rpc-request';
import { packageVersion } from '@app/shared/rpc/system-status.controller';
import { ServiceRpc } from '../rpc/service-rpc';

/** The first wire through the whole system: asks every service over RabbitMQ who and how it is. */
@Injectable()
export class SystemStatusHandler {
  private readonly version = packageVersion();

  constructor(
    private readonly rpc: ServiceRpc,
    private readonly health: HealthService,
  ) {}

  @Handles(getSystemStatus)
  async status(_input: NoInput, ctx: RequestContext): Promise<SystemStatusView> {
    const [gatewayReadiness, services] = await Promise.all([this.health.readiness(), Promise.all(SERVICES.map((service) => this.statusOf(service, ctx)))]);
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
      const s = await this.rpc.call(getServiceStatus, ctx, {}, { service });
      return { ...s, name: service, status: s.readiness?.status === 'ok' ? 'up' : 'degraded', roundTripMs: elapsedMs() };
    } catch (e) {
      const roundTripMs = elapsedMs();
      const err = e instanceof DomainError ? e : undefined;
      const reason = typeof err?.details?.reason === 'string' ? ` (${err.details.reason})` : '';
      return { name: service, status: 'down', roundTripMs, errorCode: err?.code ?? 'INTERNAL', error: (err?.message ?? 'the call failed') + reason };
    }
  }
}
