import { Module } from '@nestjs/common';
import { AppointmentEventsConsumer } from './appointment-events.consumer';

/** Consumes the tickets service's appointment and location events into the appointment read model. */
@Module({ providers: [AppointmentEventsConsumer] })
export class AppointmentSyncModule {}
