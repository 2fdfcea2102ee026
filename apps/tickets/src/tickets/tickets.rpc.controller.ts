import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { AddTicketEventsDto, CreateTicketDto, ListTicketsDto, RemoveTicketEventDto, TicketIdDto, TransitionTicketDto } from '@app/shared/api/tickets/tickets.dto';
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

  @RpcHandler('tickets.tickets.create', CreateTicketDto)
  onCreate(body: CreateTicketDto, ctx: RequestContext) {
    return this.create.execute(ctx, body);
  }

  @RpcHandler('tickets.tickets.list', ListTicketsDto)
  onList(body: ListTicketsDto, ctx: RequestContext) {
    return this.query.list(ctx, body);
  }

  @RpcHandler('tickets.tickets.get', TicketIdDto)
  onGet(body: TicketIdDto, ctx: RequestContext) {
    return this.query.get(ctx, body);
  }

  @RpcHandler('tickets.tickets.add-events', AddTicketEventsDto)
  onAddEvents(body: AddTicketEventsDto, ctx: RequestContext) {
    return this.events.add(ctx, body);
  }

  @RpcHandler('tickets.tickets.remove-event', RemoveTicketEventDto)
  onRemoveEvent(body: RemoveTicketEventDto, ctx: RequestContext) {
    return this.events.remove(ctx, body);
  }

  @RpcHandler('tickets.tickets.transition', TransitionTicketDto)
  onTransition(body: TransitionTicketDto, ctx: RequestContext) {
    return this.transition.execute(ctx, body);
  }
}
