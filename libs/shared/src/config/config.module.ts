import { DynamicModule, Global, InjectionToken, Module } from '@nestjs/common';
import { BaseConfig, ServiceConfig } from './service-config';

/**
 * Makes the app's validated config injectable under its own class and under the base classes that shared
 * modules ask for (BaseConfig, ServiceConfig).
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot<T extends BaseConfig>(config: T): DynamicModule {
    const tokens = new Set<InjectionToken>([config.constructor, BaseConfig]);
    if (config instanceof ServiceConfig) tokens.add(ServiceConfig);
    const providers = [...tokens].map((token) => ({ provide: token, useValue: config }));
    return { module: AppConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
