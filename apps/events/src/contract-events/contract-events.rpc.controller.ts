import { Controller } from '@nestjs/common';
import { IdParams } from '@app/shared/api/events/common.dto';
import {
  CreateEventTaskDto,
  EventAuditDto,
  ListEventsQuery,
  RecordPaymentDto,
  SetAssigneesDto,
  TransitionEventDto,
  UpdateEventDto,
  UpdateEventTaskDto,
} from '@app/shared/api/events/contract-events.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { CreateEventTaskUseCase } from './use-cases/create-event-task.use-case';
import { GetEventUseCase } from './use-cases/get-event.use-case';
import { ListEventAuditUseCase } from './use-cases/list-event-audit.use-case';
import { ListEventTransitionsUseCase } from './use-cases/list-event-transitions.use-case';
import { ListEventsUseCase } from './use-cases/list-events.use-case';
import { RecordPaymentUseCase } from './use-cases/record-payment.use-case';
import { SetEventAssigneesUseCase } from './use-cases/set-event-assignees.use-case';
import { TransitionEventUseCase } from './use-cases/transition-event.use-case';
import { UpdateEventTaskUseCase } from './use-cases/update-event-task.use-case';
import { UpdateEventUseCase } from './use-cases/update-event.use-case';

@Controller()
export class ContractEventsRpcController {
  constructor(
    private readonly listEvents: ListEventsUseCase,
    private readonly getEvent: GetEventUseCase,
    private readonly updateEvent: UpdateEventUseCase,
    private readonly transitionEvent: TransitionEventUseCase,
    private readonly listTransitions: ListEventTransitionsUseCase,
    private readonly setAssignees: SetEventAssigneesUseCase,
    private readonly createTask: CreateEventTaskUseCase,
    private readonly updateTask: UpdateEventTaskUseCase,
    private readonly listAudit: ListEventAuditUseCase,
    private readonly recordPayment: RecordPaymentUseCase,
  ) {}

  @RpcHandler('events.events.list', ListEventsQuery)
  list(body: ListEventsQuery, ctx: RequestContext) {
    return this.listEvents.execute(ctx, body);
  }

  @RpcHandler('events.events.get', IdParams)
  get(body: IdParams, ctx: RequestContext) {
    return this.getEvent.execute(ctx, body);
  }

  @RpcHandler('events.events.update', UpdateEventDto)
  update(body: UpdateEventDto, ctx: RequestContext) {
    return this.updateEvent.execute(ctx, body);
  }

  @RpcHandler('events.events.transition', TransitionEventDto)
  transition(body: TransitionEventDto, ctx: RequestContext) {
    return this.transitionEvent.execute(ctx, body);
  }

  @RpcHandler('events.events.transitions', IdParams)
  transitions(body: IdParams, ctx: RequestContext) {
    return this.listTransitions.execute(ctx, body);
  }

  @RpcHandler('events.events.set-assignees', SetAssigneesDto)
  assignees(body: SetAssigneesDto, ctx: RequestContext) {
    return this.setAssignees.execute(ctx, body);
  }

  @RpcHandler('events.events.create-task', CreateEventTaskDto)
  addTask(body: CreateEventTaskDto, ctx: RequestContext) {
    return this.createTask.execute(ctx, body);
  }

  @RpcHandler('events.events.update-task', UpdateEventTaskDto)
  editTask(body: UpdateEventTaskDto, ctx: RequestContext) {
    return this.updateTask.execute(ctx, body);
  }

  @RpcHandler('events.events.audit', EventAuditDto)
  audit(body: EventAuditDto, ctx: RequestContext) {
    return this.listAudit.execute(ctx, body);
  }

  @RpcHandler('events.events.record-payment', RecordPaymentDto)
  payment(body: RecordPaymentDto, ctx: RequestContext) {
    return this.recordPayment.execute(ctx, body);
  }
}
