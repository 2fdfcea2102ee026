import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@app/shared/app/create-service-app';
import { loadConfig } from '@app/shared/config/load-config';
import { DatabaseModule } from '@app/shared/db/database.module';
import { MessagingModule } from '@app/shared/messaging/messaging.module';
import { Clock } from '@app/shared/time/clock';
import { ActivitiesModule } from './activities/activities.module';
import { CockpitModule } from './cockpit/cockpit.module';
import { ContractEventsModule } from './contract-events/contract-events.module';
import { ContractsModule } from './contracts/contracts.module';
import { EVENTS_ENTITIES, EVENTS_MIGRATIONS, EVENTS_SCHEMA } from './data-source';
import { EventsConfig } from './events.config';
import { EventsCoreModule } from './events-core.module';
import { KitsModule } from './kits/kits.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { StatusConfigModule } from './status-config/status-config.module';
import { TenantsModule } from './tenants/tenants.module';
import { TicketSyncModule } from './ticket-sync/ticket-sync.module';
import { AppointmentSyncModule } from './appointment-sync/appointment-sync.module';

export interface EventsAppOptions {
  /** Tests pass a clock they control; production uses the system clock. */
  clock?: Clock;
}

/** Builds and starts the events service from an environment (process.env in production, a test's own in tests). */
export async function createEventsApp(env: Record<string, string | undefined>, options: EventsAppOptions = {}): Promise<INestApplication> {
  const config = loadConfig(EventsConfig, env);
  return createServiceApp({
    service: 'events',
    config,
    imports: [
      DatabaseModule.forService({ schema: EVENTS_SCHEMA, entities: EVENTS_ENTITIES, migrations: EVENTS_MIGRATIONS }),
      MessagingModule.forService('events'),
      EventsCoreModule.forRoot(options.clock),
      TenantsModule,
      StatusConfigModule,
      ContractsModule,
      ContractEventsModule,
      ActivitiesModule,
      KitsModule,
      CockpitModule,
      SchedulerModule,
      TicketSyncModule,
      AppointmentSyncModule,
    ],
  });
}
