import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';

@Global()
@Module({})
export class ObservabilityModule {
  static forApp(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [ObservabilityController],
      providers: [HealthService, { provide: MetricsService, useFactory: () => new MetricsService(service) }],
      exports: [HealthService, MetricsService],
    };
  }
}
