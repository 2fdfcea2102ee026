import { Controller } from '@nestjs/common';
import { addTicketEvents, createTicket, getTicket, listTickets, removeTicketEvent, transitionTicket } from '@app/shared/api/tickets/tickets.operations';
import { AddTicketEventsDto, CreateTicketDto, ListTicketsQuery, RemoveTicketEventDto, TicketRef, TransitionTicketDto } from '@app/shared/api/tickets/tickets.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ChangeTicketEventsUseCase } from './use-cases/change-ticket-events.use-case';
import { CreateTicketUseCase } from './use-cases/create-ticket.use-case';
import { QueryTicketsUseCase } from './use-cases/query-tickets.use-case';
import { TransitionTicketUseCase } from './use-cases/transition-ticket.use-case';

@Controller()
export class TicketsRpcController {
  constructor(
    private readonly create: CreateTicketUseCase,
    private readonly query: QueryTicketsUseCase,
    private readonly events: ChangeTicketEventsUseCase,
    private readonly transition: TransitionTicketUseCase,
  ) {}

  @Handles(createTicket)
  onCreate(input: CreateTicketDto, ctx: RequestContext) {
    return this.create.execute(ctx, input);
  }

  @Handles(listTickets)
  onList(input: ListTicketsQuery, ctx: RequestContext) {
    return this.query.list(ctx, input);
  }

  @Handles(getTicket)
  onGet(input: TicketRef, ctx: RequestContext) {
    return this.query.get(ctx, input);
  }

  @Handles(addTicketEvents)
  onAddEvents(input: AddTicketEventsDto, ctx: RequestContext) {
    return this.events.add(ctx, input);
  }

  @Handles(removeTicketEvent)
  onRemoveEvent(input: RemoveTicketEventDto, ctx: RequestContext) {
    return this.events.remove(ctx, input);
  }

  @Handles(transitionTicket)
  onTransition(input: TransitionTicketDto, ctx: RequestContext) {
    return this.transition.execute(ctx, input);
  }
}
