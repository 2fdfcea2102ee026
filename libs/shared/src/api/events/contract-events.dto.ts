import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../contract/page';
import { ASSIGNEE_ROLES, CONTRACT_EVENT_TYPES } from '../../catalog/events-service.catalog';
import { CalendarDate, Describe, Timestamp, Version } from '../../validation/decorators';
import { Money } from './common.dto';

const STATUS_CODE = /^[a-z][a-z0-9_]*$/;

/** How a payment was made. */
export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'card', 'upi', 'cheque', 'online', 'other'] as const;

/** GET /v1/events */
export class ListEventsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @IsIn(CONTRACT_EVENT_TYPES)
  type?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/, { message: 'status must be one or more status codes, comma separated' })
  @MaxLength(500)
  @Describe('One or more status codes, comma separated', 'due,overdue')
  status?: string;

  @IsOptional()
  @IsUUID()
  @Describe('Events this person is on, in any role')
  assigneeId?: string;

  @IsOptional()
  @Timestamp()
  @Describe('Scheduled on or after this instant')
  from?: string;

  @IsOptional()
  @Timestamp()
  @Describe('Scheduled on or before this instant')
  to?: string;
}

/** PATCH /v1/events/{id}: reschedule and/or notes. A reschedule needs a reason. */
export class UpdateEventDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsOptional()
  @CalendarDate()
  @Describe('The new day, in the contract’s timezone; originalDate keeps the planned one')
  scheduledDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Describe('Required when scheduledDate changes')
  reason?: string;

  @IsOptional()
  @IsBoolean()
  @Describe('A reschedule: whether the people on the event should hear of it (EVENT_RESCHEDULED, seed name). Default true')
  notifyStaff?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('A reschedule: whether the customer should hear of it (EVENT_RESCHEDULED, seed name). Default false')
  notifyClient?: boolean;

  @Version()
  version!: number;
}

/** POST /v1/events/{id}/transitions */
export class TransitionEventDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @Matches(STATUS_CODE, { message: 'toStatus must be a status code such as in_progress' })
  @MaxLength(50)
  @Describe('A status of the tenant’s flow that the current status may move to (GET /events/{id}/transitions)', 'in_progress')
  toStatus!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Describe('Required where the flow says so (cancelling, holding, reopening…)')
  reason?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  @Describe('Evidence recorded on a ticket of this event, where the move requires evidence')
  evidenceIds?: string[];

  @Version()
  version!: number;
}

export class EventAssignee {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsIn(ASSIGNEE_ROLES)
  role!: string;
}

/** PUT /v1/events/{id}/assignees: the body is the full new list. */
export class SetEventAssigneesDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EventAssignee)
  @Describe('Everyone on the event after this call; [] removes them all')
  assignees!: EventAssignee[];
}

/** POST /v1/events/{id}/tasks */
export class CreateEventTaskDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsOptional()
  @CalendarDate()
  dueDate?: string;

  @IsOptional()
  @IsBoolean()
  @Describe('A required sub-task blocks the moves the flow gates on sub-tasks (service completion by default) while open')
  required?: boolean;

  @IsOptional()
  @IsBoolean()
  done?: boolean;
}

/** PATCH /v1/events/{id}/tasks/{taskId} */
export class UpdateEventTaskDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsUUID()
  @Describe('The sub-task')
  taskId!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @IsOptional()
  @CalendarDate()
  dueDate?: string;

  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @IsOptional()
  @IsBoolean()
  done?: boolean;
}

/** POST /v1/events/{id}/payments: money received against a billing event. */
export class RecordPaymentDto {
  @IsUUID()
  @Describe('The billing event')
  id!: string;

  @Money()
  @Describe('More than zero, at most what is outstanding', '1000.00')
  amount!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe(
    'The receipt or transfer reference, kept in the audit. Unique in the contract: the same reference again is the same payment (answered as it is, recorded once)',
  )
  reference?: string;

  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  @Describe('How it was paid (default other)', 'bank_transfer')
  method?: string;

  @IsOptional()
  @Timestamp()
  @Describe('When the money was received (default now); not in the future')
  paidAt?: string;

  @Version()
  version!: number;
}

/** GET /v1/events/{id}/audit */
export class EventAuditQuery extends PageQuery {
  @IsUUID()
  @Describe('The contract event')
  id!: string;
}

/** GET /v1/cockpit */
export class CockpitQuery {
  @IsOptional()
  @Timestamp()
  @Describe('Only events scheduled on or after this instant')
  from?: string;

  @IsOptional()
  @Timestamp()
  @Describe('Only events scheduled on or before this instant')
  to?: string;
}
