import { Module } from '@nestjs/common';
import { TicketEventsConsumer } from './ticket-events.consumer';

/** Consumes the tickets service's events: ticket progress and completion, evidence. */
@Module({ providers: [TicketEventsConsumer] })
export class TicketSyncModule {}
