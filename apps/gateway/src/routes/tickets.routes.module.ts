import { Module } from '@nestjs/common';
import { AppointmentsController } from './tickets/appointments.controller';
import { TicketSettingsController } from './tickets/ticket-settings.controller';
import { TicketsController } from './tickets/tickets.controller';

/** HTTP routes of the tickets service: thin controllers that validate and forward over RPC. */
@Module({ controllers: [TicketsController, AppointmentsController, TicketSettingsController] })
export class TicketsRoutesModule {}
