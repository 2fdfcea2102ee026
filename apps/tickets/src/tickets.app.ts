import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { DatabaseModule } from '@app/shared/db/database.module';
import { MessagingModule } from '@app/shared/messaging/messaging.module';
import { Clock } from '@app/shared/time/clock';
import { AppointmentsModule } from './appointments/appointments.module';
import { TICKETS_ENTITIES, TICKETS_MIGRATIONS, TICKETS_SCHEMA } from './data-source';
import { EvidenceModule } from './evidence/evidence.module';
import { IssuesModule } from './issues/issues.module';
import { ReadModelModule } from './read-model/read-model.module';
import { SettingsModule } from './settings/settings.module';
import { TicketsConfig } from './tickets.config';
import { TicketsCoreModule } from './tickets-core.module';
import { TicketsModule } from './tickets/tickets.module';

export interface TicketsAppOptions {
  /** Tests pass a clock they control; production uses the system clock. */
  clock?: Clock;
}

/** Builds and starts the tickets service from an environment (process.env in production, a test's own in tests). */
export async function createTicketsApp(env: Record<string, string | undefined>, options: TicketsAppOptions = {}): Promise<INestApplication> {
  const config = loadConfig(TicketsConfig, env);
  return createServiceApp({
    service: 'tickets',
    config,
    imports: [
      DatabaseModule.forService({ schema: TICKETS_SCHEMA, entities: TICKETS_ENTITIES, migrations: TICKETS_MIGRATIONS }),
      MessagingModule.forService('tickets'),
      TicketsCoreModule.forRoot(options.clock),
      ReadModelModule,
      SettingsModule,
      TicketsModule,
      AppointmentsModule,
      EvidenceModule,
      IssuesModule,
    ],
  });
}
