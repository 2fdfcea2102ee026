import { Module } from '@nestjs/common';
import { ContractEventsRpcController } from './contract-events.rpc.controller';
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

/** Contract events: reads, moves, reschedules, people, sub-tasks, audit, payments. */
@Module({
  controllers: [ContractEventsRpcController],
  providers: [
    ListEventsUseCase,
    GetEventUseCase,
    UpdateEventUseCase,
    TransitionEventUseCase,
    ListEventTransitionsUseCase,
    SetEventAssigneesUseCase,
    CreateEventTaskUseCase,
    UpdateEventTaskUseCase,
    ListEventAuditUseCase,
    RecordPaymentUseCase,
  ],
})
export class ContractEventsModule {}
