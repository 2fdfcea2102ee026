import { Module } from '@nestjs/common';
import { DeadLettersController } from './messaging/dead-letters.controller';
import { EventCatalogController } from './messaging/event-catalog.controller';
import { EventLogController } from './messaging/event-log.controller';

/** HTTP routes of the messaging backbone: event catalog, event log, dead letters. */
@Module({ controllers: [EventCatalogController, EventLogController, DeadLettersController] })
export class MessagingRoutesModule {}
