import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { DatabaseModule } from '@app/shared/db/database.module';
import { MessagingModule } from '@app/shared/messaging/messaging.module';
import { TICKETS_ENTITIES, TICKETS_MIGRATIONS, TICKETS_SCHEMA } from './data-source';
import { TicketsConfig } from './tickets.config';
import { TicketsServiceModule } from './tickets-service.module';
import { Clock } from '@app/shared/time/clock';

/** Builds and starts the tickets service from an environment (process.env in production, a test's own in tests). */
export async function createTicketsApp(env: Record<string, string | undefined>, options: { clock?: Clock } = {}): Promise<INestApplication> {
  const config = loadConfig(TicketsConfig, env);
  return createServiceApp({
    service: 'tickets',
    config,
    imports: [
      DatabaseModule.forService({ schema: TICKETS_SCHEMA, entities: TICKETS_ENTITIES, migrations: TICKETS_MIGRATIONS }),
      MessagingModule.forService('tickets'),
      TicketsServiceModule.forRoot({ clock: options.clock }),
    ],
  });
}
