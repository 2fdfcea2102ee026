import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { DatabaseModule } from '@app/shared/db/database.module';
import { MessagingModule } from '@app/shared/messaging/messaging.module';
import { JTD_ENTITIES, JTD_MIGRATIONS, JTD_SCHEMA } from './data-source';
import { JtdDispatcherConfig } from './jtd-dispatcher.config';
import { JtdModule } from './jtd.module';
import { JtdClock } from './time/clock';

/** Builds and starts the jtd-dispatcher service from an environment (process.env in production, a test's own in tests). */
export async function createJtdDispatcherApp(env: Record<string, string | undefined>, opts: { clock?: JtdClock } = {}): Promise<INestApplication> {
  const config = loadConfig(JtdDispatcherConfig, env);
  return createServiceApp({
    service: 'jtd-dispatcher',
    config,
    imports: [
      DatabaseModule.forService({ schema: JTD_SCHEMA, entities: JTD_ENTITIES, migrations: JTD_MIGRATIONS }),
      MessagingModule.forService('jtd-dispatcher'),
      JtdModule.forRoot(opts.clock),
    ],
  });
}
