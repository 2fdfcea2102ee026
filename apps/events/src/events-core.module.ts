import { DynamicModule, Global, Module } from '@nestjs/common';
import { SqlStatusHistory, StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock, SystemClock } from '@app/shared/time/clock';
import { AppointmentViewRepository } from './appointment-sync/appointment-view.repository';
import { ContractEventRepository } from './contract-events/contract-event.repository';
import { EventAssigneeRepository } from './contract-events/event-assignee.repository';
import { EVENT_HISTORY, EventAuditRepository } from './contract-events/event-audit.repository';
import { EventEvidenceRepository } from './contract-events/event-evidence.repository';
import { EventStatusMover } from './contract-events/event-status-mover';
import { EventTaskRepository } from './contract-events/event-task.repository';
import { ContractActivator } from './contracts/contract-activator';
import { ContractHistoryRepository } from './contracts/contract-history.repository';
import { ContractStatusRecorder } from './contracts/contract-status-recorder';
import { ContractRepository } from './contracts/contract.repository';
import { PaymentRepository } from './contracts/payment.repository';
import { SparePartBalance } from './contracts/spare-part-balance';
import { EventFlowService } from './status-config/event-flow.service';

const SHARED = [
  AppointmentViewRepository,
  ContractRepository,
  ContractEventRepository,
  EventAssigneeRepository,
  EventAuditRepository,
  EventEvidenceRepository,
  EventTaskRepository,
  EventFlowService,
  EventStatusMover,
  ContractActivator,
  SparePartBalance,
  ContractHistoryRepository,
  ContractStatusRecorder,
  PaymentRepository,
];

/** What several features of the events service share: repositories, the status engine, the clock. */
@Global()
@Module({})
export class EventsCoreModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: EventsCoreModule,
      providers: [...SHARED, { provide: Clock, useValue: clock }, { provide: StatusHistoryWriter, useValue: new SqlStatusHistory(EVENT_HISTORY) }],
      exports: [...SHARED, Clock, StatusHistoryWriter],
    };
  }
}
