import { Controller } from '@nestjs/common';
import { EventIdParams } from '@app/shared/api/events/common.dto';
import {
  CreateEventTaskDto,
  EventAuditQuery,
  ListEventsQuery,
  RecordPaymentDto,
  SetEventAssigneesDto,
  TransitionEventDto,
  UpdateEventDto,
  UpdateEventTaskDto,
} from '@app/shared/api/events/contract-events.dto';
import {
  createEventTask,
  getEvent,
  listEventAudit,
  listEvents,
  listEventTransitions,
  recordEventPayment,
  setEventAssignees,
  transitionEvent,
  updateEvent,
  updateEventTask,
} from '@app/shared/api/events/contract-events.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
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

  @Handles(listEvents)
  list(input: ListEventsQuery, ctx: RequestContext) {
    return this.listEvents.execute(ctx, input);
  }

  @Handles(getEvent)
  get(input: EventIdParams, ctx: RequestContext) {
    return this.getEvent.execute(ctx, input);
  }

  @Handles(updateEvent)
  update(input: UpdateEventDto, ctx: RequestContext) {
    return this.updateEvent.execute(ctx, input);
  }

  @Handles(transitionEvent)
  transition(input: TransitionEventDto, ctx: RequestContext) {
    return this.transitionEvent.execute(ctx, input);
  }

  @Handles(listEventTransitions)
  transitions(input: EventIdParams, ctx: RequestContext) {
    return this.listTransitions.execute(ctx, input);
  }

  @Handles(setEventAssignees)
  assignees(input: SetEventAssigneesDto, ctx: RequestContext) {
    return this.setAssignees.execute(ctx, input);
  }

  @Handles(createEventTask)
  addTask(input: CreateEventTaskDto, ctx: RequestContext) {
    return this.createTask.execute(ctx, input);
  }

  @Handles(updateEventTask)
  editTask(input: UpdateEventTaskDto, ctx: RequestContext) {
    return this.updateTask.execute(ctx, input);
  }

  @Handles(listEventAudit)
  audit(input: EventAuditQuery, ctx: RequestContext) {
    return this.listAudit.execute(ctx, input);
  }

  @Handles(recordEventPayment)
  payment(input: RecordPaymentDto, ctx: RequestContext) {
    return this.recordPayment.execute(ctx, input);
  }
}
