import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../contract/page';
import { Describe, Timestamp, Version } from '../../validation/decorators';
import { Assignees, StatusCode, TicketAssigneeDto } from './tickets.dto';
import { CHECK_IN_VERIFICATION_METHODS, NO_SHOW_CONSEQUENCES, NO_SHOW_PARTIES } from './tickets.vocabulary';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Latitude in degrees, −90 to 90. */
export function Latitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber(FINITE)(target, key);
    Min(-90)(target, key);
    Max(90)(target, key);
  };
}

/** Longitude in degrees, −180 to 180. */
export function Longitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber(FINITE)(target, key);
    Min(-180)(target, key);
    Max(180)(target, key);
  };
}

export class AppointmentLocationDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @IsOptional()
  @Latitude()
  lat?: number;

  @IsOptional()
  @Longitude()
  lng?: number;
}

/** `POST /v1/appointments` */
export class CreateAppointmentDto {
  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  @Describe('An open ticket of the contract; without eventIds the visit covers all its events')
  ticketId?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @Describe('Service and spare_part events of the contract (of the ticket, when one is named)')
  eventIds?: string[];

  @Timestamp()
  startsAt!: string;

  @Timestamp()
  @Describe('After startsAt, at most 14 days later')
  endsAt!: string;

  @IsTimeZone({ message: 'timezone must be an IANA zone such as Asia/Kolkata' })
  @Describe('IANA zone of the visit', 'Asia/Kolkata')
  timezone!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AppointmentLocationDto)
  location?: AppointmentLocationDto;

  @Assignees()
  @Describe('Each one is offered the visit, to accept or decline before responseDeadline')
  assignees?: TicketAssigneeDto[];

  @IsOptional()
  @Timestamp()
  @Describe('Until when offers may be answered; default 24 hours, or the start of the visit if sooner')
  responseDeadline?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

/** `GET /v1/appointments`: the calendar, in start order. */
export class ListAppointmentsQuery extends PageQuery {
  @IsOptional()
  @Timestamp()
  @Describe('Visits that end after this')
  from?: string;

  @IsOptional()
  @Timestamp()
  @Describe('Visits that start before this')
  to?: string;

  @IsOptional()
  @IsUUID()
  @Describe('Visits this person is offered or on')
  assigneeId?: string;

  @IsOptional()
  @StatusCode('Only visits in this status')
  status?: string;

  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;
}

/** `{id}` of the appointment routes. */
export class AppointmentRef {
  @IsUUID()
  @Describe('The appointment')
  id!: string;
}

/** `POST /v1/appointments/{id}/transitions` */
export class TransitionAppointmentDto extends AppointmentRef {
  @StatusCode('A status of the tenant’s appointment flow reachable from the current one (not rescheduled)')
  toStatus!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;

  @IsOptional()
  @Version()
  version?: number;

  @IsOptional()
  @IsIn(NO_SHOW_PARTIES)
  @Describe('For no_show: who did not show up (default customer)')
  party?: string;
}

/** `POST /v1/appointments/{id}/reschedule` */
export class RescheduleAppointmentDto extends AppointmentRef {
  @Timestamp()
  startsAt!: string;

  @Timestamp()
  endsAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsOptional()
  @Version()
  version?: number;
}

/** `POST /v1/appointments/{id}/assignments`: the same person shape as the visit's assignees. */
export class OfferAssignmentDto extends TicketAssigneeDto {
  @IsUUID()
  @Describe('The appointment')
  id!: string;

  @IsOptional()
  @Timestamp()
  @Describe('Until when the offer may be answered; default 24 hours, or the start of the visit if sooner')
  responseDeadline?: string;
}

/** `{id}/assignments/{userId}`: one technician's assignment on one visit. */
export class AssignmentRef extends AppointmentRef {
  @IsUUID()
  @Describe('The technician')
  userId!: string;
}

export class AcceptAssignmentDto extends AssignmentRef {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class DeclineAssignmentDto extends AssignmentRef {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsBoolean()
  @Describe('Whether to offer them other visits (the seed’s name for it)')
  isAvailableForFuture!: boolean;
}

export class EnRouteDto extends AssignmentRef {
  @IsOptional()
  @Timestamp()
  eta?: string;
}

export class NoShowDto extends AssignmentRef {
  @IsIn(NO_SHOW_CONSEQUENCES)
  consequenceLevel!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** Where and how a technician's presence on site was established: check-in and check-out take the same fields. */
export class CheckInDto extends AppointmentRef {
  @IsOptional()
  @IsUUID()
  @Describe('The technician; default the caller (an admin or agent may act for a technician)')
  userId?: string;

  @Latitude()
  lat!: number;

  @Longitude()
  lng!: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100000)
  @Describe('Metres, when the fix reports it')
  accuracy?: number;

  @IsIn(CHECK_IN_VERIFICATION_METHODS)
  verificationMethod!: string;
}

export class CheckOutDto extends CheckInDto {
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(24 * 7)
  @Describe('Default the time since check-in')
  hoursWorked?: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  feedback?: string;
}
