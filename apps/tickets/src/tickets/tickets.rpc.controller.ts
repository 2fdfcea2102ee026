import { Controller } from '@nestjs/common';
import {
  AddTicketEventsDto,
  CreateTicketDto,
  ListTicketsQuery,
  RemoveTicketEventDto,
  TicketRef,
  TransitionTicketDto,
} from '@app/shared/api/tickets/tickets.dto';
import { addTicketEvents, createTicket, getTicket, listTickets, removeTicketEvent, transitionTicket } from '@app/shared/api/tickets/tickets.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { AddTicketEventsUseCase } from './use-cases/add-ticket-events.use-case';
import { CreateTicketUseCase } from './use-cases/create-ticket.use-case';
import { GetTicketUseCase } from './use-cases/get-ticket.use-case';
import { ListTicketsUseCase } from './use-cases/list-tickets.use-case';
import { RemoveTicketEventUseCase } from './use-cases/remove-ticket-event.use-case';
import { TransitionTicketUseCase } from './use-cases/transition-ticket.use-case';

@Controller()
export class TicketsRpcController {
  constructor(
    private readonly createTicket: CreateTicketUseCase,
    private readonly listTickets: ListTicketsUseCase,
    private readonly getTicket: GetTicketUseCase,
    private readonly addEvents: AddTicketEventsUseCase,
    private readonly removeEvent: RemoveTicketEventUseCase,
    private readonly transitionTicket: TransitionTicketUseCase,
  ) {}

  @Handles(createTicket)
  create(input: CreateTicketDto, ctx: RequestContext) {
    return this.createTicket.execute(ctx, input);
  }

  @Handles(listTickets)
  list(input: ListTicketsQuery, ctx: RequestContext) {
    return this.listTickets.execute(ctx, input);
  }

  @Handles(getTicket)
  get(input: TicketRef, ctx: RequestContext) {
    return this.getTicket.execute(ctx, input);
  }

  @Handles(addTicketEvents)
  addTicketEvents(input: AddTicketEventsDto, ctx: RequestContext) {
    return this.addEvents.execute(ctx, input);
  }

  @Handles(removeTicketEvent)
  removeTicketEvent(input: RemoveTicketEventDto, ctx: RequestContext) {
    return this.removeEvent.execute(ctx, input);
  }

  @Handles(transitionTicket)
  transition(input: TransitionTicketDto, ctx: RequestContext) {
    return this.transitionTicket.execute(ctx, input);
  }
}
