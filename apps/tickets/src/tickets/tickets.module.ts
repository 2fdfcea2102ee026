import { Module } from '@nestjs/common';
import { TicketsRpcController } from './tickets.rpc.controller';
import { AddTicketEventsUseCase } from './use-cases/add-ticket-events.use-case';
import { CreateTicketUseCase } from './use-cases/create-ticket.use-case';
import { GetTicketUseCase } from './use-cases/get-ticket.use-case';
import { ListTicketsUseCase } from './use-cases/list-tickets.use-case';
import { RemoveTicketEventUseCase } from './use-cases/remove-ticket-event.use-case';
import { TransitionTicketUseCase } from './use-cases/transition-ticket.use-case';

/** Service tickets: opening one on events of a contract, its events, its status, reads. */
@Module({
  controllers: [TicketsRpcController],
  providers: [CreateTicketUseCase, ListTicketsUseCase, GetTicketUseCase, AddTicketEventsUseCase, RemoveTicketEventUseCase, TransitionTicketUseCase],
})
export class TicketsModule {}
