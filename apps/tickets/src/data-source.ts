import { MessagingTables1764000000001 } from '@app/shared/messaging/migrations/1764000000001-messaging-tables';
import { MESSAGING_ENTITIES } from '@app/shared/messaging/messaging.module';
import { StatusFlowTables1764000000000 } from '@app/shared/status-machine/migrations/1764000000000-status-flow-tables';
import { STATUS_FLOW_ENTITIES } from '@app/shared/status-machine/status-flow.entities';
import { AppointmentEntity, AppointmentRescheduleEntity, StaffAssignmentEntity } from './appointments/appointment.entities';
import { EvidenceEntity } from './evidence/evidence.entity';
import { IssueReportEntity } from './issues/issue-report.entity';
import { TicketsTables1764400000000 } from './migrations/1764400000000-tickets-tables';
import { CheckOutVerification1764500000000 } from './migrations/1764500000000-check-out-verification';
import { ContractEventReadModel, ContractReadModel, TenantEntity } from './read-model/read-model.entities';
import { ServiceTicketEntity, ServiceTicketEventEntity, StatusHistoryEntity } from './tickets/ticket.entities';

/** Everything this service stores in schema `tickets`; one list for the app, migrations and tests. */
export const TICKETS_SCHEMA = 'tickets';
export const TICKETS_ENTITIES: Function[] = [
  ...STATUS_FLOW_ENTITIES,
  ...MESSAGING_ENTITIES,
  TenantEntity,
  ContractReadModel,
  ContractEventReadModel,
  ServiceTicketEntity,
  ServiceTicketEventEntity,
  StatusHistoryEntity,
  AppointmentEntity,
  AppointmentRescheduleEntity,
  StaffAssignmentEntity,
  EvidenceEntity,
  IssueReportEntity,
];
export const TICKETS_MIGRATIONS: Function[] = [StatusFlowTables1764000000000, MessagingTables1764000000001, TicketsTables1764400000000, CheckOutVerification1764500000000];
