import { INestApplicationContext, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '../../config/config.module';
import { loadConfig } from '../../config/load-config';
import { ServiceConfig } from '../../config/service-config';
import { DatabaseModule } from '../../db/database.module';
import { ObservabilityModule } from '../../observability/observability.module';
import type { AppName, TestEnvironment } from '../../testing/test-environment';
import { MessagingModule } from '../messaging.module';

const SCHEMA_OF = { events: 'events', tickets: 'tickets', 'jtd-dispatcher': 'jtd' } as const;

/**
 * A service reduced to its messaging: config, database (the template is already migrated), observability and
 * MessagingModule, plus the test's own handler providers. Boots in-process, no HTTP or RPC listener.
 */
export async function startMessagingApp(
  env: TestEnvironment,
  opts: { service?: Exclude<AppName, 'gateway'>; providers?: Provider[]; env?: Record<string, string> } = {},
): Promise<INestApplicationContext> {
  const service = opts.service ?? 'events';
  const config = loadConfig(ServiceConfig, env.env(service, opts.env));

  @Module({
    imports: [
      AppConfigModule.forRoot(config),
      ObservabilityModule.forApp(service),
      DatabaseModule.forService({ schema: SCHEMA_OF[service], entities: [], migrations: [] }),
      MessagingModule.forService(service),
    ],
    providers: opts.providers ?? [],
  })
  class MessagingTestModule {}

  const app = await NestFactory.createApplicationContext(MessagingTestModule as Type, {
    logger: process.env.TEST_LOG_LEVEL ? ['error', 'warn', 'log'] : false,
  });
  return app;
}

/** The app's DataSource, for arranging and asserting rows. */
export function dataSourceOf(app: INestApplicationContext): DataSource {
  return app.get(DataSource);
}
