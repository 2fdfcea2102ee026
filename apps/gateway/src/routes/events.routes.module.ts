import { Module } from '@nestjs/common';
import { CockpitController } from './events/cockpit.controller';
import { ContractEventsController } from './events/contract-events.controller';
import { ContractsController } from './events/contracts.controller';
import { EventStatusesController } from './events/event-statuses.controller';
import { TenantsController } from './events/tenants.controller';

/** HTTP routes of the events service: thin controllers that validate and forward over RPC. */
@Module({ controllers: [TenantsController, ContractsController, ContractEventsController, CockpitController, EventStatusesController] })
export class EventsRoutesModule {}
