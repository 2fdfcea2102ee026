import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ServiceSelfStatus } from '../api/platform/system-status.dto';
import { getServiceStatus } from '../api/platform/platform.operations';
import { HealthService } from '../observability/health.service';
import { Handles } from './handles.decorator';
import { ServiceName } from './rpc-request';

const SERVICE_NAME = Symbol('system-status-service');

const startedAt = new Date();

/** The version of the package this process runs from: the nearest package.json up from this file. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
      if (pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

@Controller()
export class SystemStatusController {
  private readonly version = packageVersion();

  constructor(
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    private readonly health: HealthService,
  ) {}

  @Handles(getServiceStatus)
  async status(): Promise<ServiceSelfStatus> {
    return {
      name: this.service,
      version: this.version,
      readiness: await this.health.readiness(),
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    };
  }
}

/** Registered by createServiceApp for every service: the gateway's `GET /v1/system/status` asks each one. */
@Module({})
export class SystemStatusModule {
  static forService(service: ServiceName): DynamicModule {
    return { module: SystemStatusModule, controllers: [SystemStatusController], providers: [{ provide: SERVICE_NAME, useValue: service }] };
  }
}
