import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../contract/page';
import { Describe, QueryInt, Timestamp, Version } from '../../validation/decorators';
import { DEFAULT_ASSIGNEE_ROLE, TICKET_ASSIGNEE_ROLES } from './tickets.vocabulary';

/** Status codes are data (tenant flows); this only checks their shape. */
export const STATUS_CODE_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;

/** A status code in an input: lower_snake, at most 50 characters. */
export function StatusCode(description: string): PropertyDecorator {
  return (target, key) => {
    Matches(STATUS_CODE_PATTERN, { message: '$property must be a lower_snake status code' })(target, key);
    MaxLength(50)(target, key);
    Describe(description, 'in_progress')(target, key);
  };
}

/** A person on a ticket or on a visit: the same shape in both places. */
export class TicketAssigneeDto {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Describe('Display name, as shown to colleagues')
  name?: string;

  // Optional with one default on tickets, visits and offers alike: nearly everyone named is the technician
  // doing the work, and a shape that is required on one route and optional on another trips callers up.
  @IsOptional()
  @IsIn(TICKET_ASSIGNEE_ROLES)
  @Describe(`What the person does on the visit; default \`${DEFAULT_ASSIGNEE_ROLE}\``, 'technician')
  role?: string;
}

/** Who may be on a ticket or visit at once; ids repeat at most once. */
export function Assignees(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(20)(target, key);
    ArrayUnique((a: TicketAssigneeDto | undefined) => a?.userId, { message: '$property must name each userId once' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => TicketAssigneeDto)(target, key);
  };
}

/** `POST /v1/tickets` */
export class CreateTicketDto {
  @IsUUID()
  @Describe('The active contract whose events the visit executes')
  contractId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @Describe('Service and spare_part events of that contract that are open and on no other open ticket')
  eventIds!: string[];

  @Assignees()
  assignees?: TicketAssigneeDto[];

  @IsOptional()
  @Timestamp()
  scheduledFor?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

/** `GET /v1/tickets`: newest first. */
export class ListTicketsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @StatusCode('Only tickets in this status')
  status?: string;

  @IsOptional()
  @IsUUID()
  @Describe('Only tickets this person is an assignee of')
  assigneeId?: string;
}

/** `{id}` of the ticket routes. */
export class TicketRef {
  @IsUUID()
  @Describe('The ticket')
  id!: string;
}

/** `POST /v1/tickets/{id}/events` */
export class AddTicketEventsDto extends TicketRef {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @Describe('Events of the ticket’s contract to add; those already on the ticket are left as they are')
  eventIds!: string[];

  @IsOptional()
  @Version()
  version?: number;
}

/** `DELETE /v1/tickets/{id}/events/{eventId}?version=` */
export class RemoveTicketEventDto extends TicketRef {
  @IsUUID()
  @Describe('The event to take off the ticket')
  eventId!: string;

  @IsOptional()
  @QueryInt()
  @Version()
  version?: number;
}

/** `POST /v1/tickets/{id}/transitions` */
export class TransitionTicketDto extends TicketRef {
  @StatusCode('A status of the tenant’s ticket flow reachable from the current one')
  toStatus!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @Describe('Why; required by the moves the flow marks so (cancelling, reopening)')
  reason?: string;

  @Version()
  version!: number;
}
