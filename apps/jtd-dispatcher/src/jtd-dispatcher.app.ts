import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { DatabaseModule } from '@app/shared/db/database.module';
import { MessagingModule } from '@app/shared/messaging/messaging.module';
import { Clock } from '@app/shared/time/clock';
import { JTD_ENTITIES, JTD_MIGRATIONS, JTD_SCHEMA } from './data-source';
import { DeliveryModule } from './delivery/delivery.module';
import { InboxModule } from './inbox/inbox.module';
import { JobsModule } from './jobs/jobs.module';
import { JtdDispatcherConfig } from './jtd-dispatcher.config';
import { JtdCoreModule } from './jtd-core.module';
import { SettingsModule } from './settings/settings.module';
import { SourcesModule } from './sources/sources.module';
import { TemplatesModule } from './templates/templates.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface JtdDispatcherAppOptions {
  /** Tests pass a clock they control (quiet hours, retries, limits, leases); production uses the system clock. */
  clock?: Clock;
}

/** Builds and starts the jtd-dispatcher service from an environment (process.env in production, a test's own in tests). */
export async function createJtdDispatcherApp(env: Record<string, string | undefined>, options: JtdDispatcherAppOptions = {}): Promise<INestApplication> {
  const config = loadConfig(JtdDispatcherConfig, env);
  return createServiceApp({
    service: 'jtd-dispatcher',
    config,
    imports: [
      DatabaseModule.forService({ schema: JTD_SCHEMA, entities: JTD_ENTITIES, migrations: JTD_MIGRATIONS }),
      MessagingModule.forService('jtd-dispatcher'),
      JtdCoreModule.forRoot(options.clock),
      JobsModule,
      TemplatesModule,
      SettingsModule,
      InboxModule,
      WebhooksModule,
      SourcesModule,
      DeliveryModule,
    ],
  });
}
