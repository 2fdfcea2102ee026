import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageDto, STATUS_CODE_PATTERN } from './tickets.dto';
import { CHECK_IN_VERIFICATION_METHODS, NO_SHOW_CONSEQUENCES, NO_SHOW_PARTIES, TICKET_ASSIGNEE_ROLES } from './tickets.vocabulary';

export class LocationDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @IsOptional()
  @IsLatitude()
  lat?: number;

  @IsOptional()
  @IsLongitude()
  lng?: number;
}

export class AppointmentAssigneeDto {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsIn(TICKET_ASSIGNEE_ROLES)
  role?: string;
}

export class CreateAppointmentDto {
  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  eventIds?: string[];

  @IsISO8601({ strict: true })
  startsAt!: string;

  @IsISO8601({ strict: true })
  endsAt!: string;

  /** IANA zone, e.g. Asia/Kolkata. */
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  /** Each assignee gets an offer to accept or decline before `responseDeadline`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AppointmentAssigneeDto)
  assignees?: AppointmentAssigneeDto[];

  @IsOptional()
  @IsISO8601({ strict: true })
  responseDeadline?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class ListAppointmentsDto extends PageDto {
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @IsOptional()
  @Matches(STATUS_CODE_PATTERN)
  status?: string;

  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;
}

export class AppointmentIdDto {
  @IsUUID()
  id!: string;
}

export class TransitionAppointmentDto extends AppointmentIdDto {
  @Matches(STATUS_CODE_PATTERN, { message: 'toStatus must be a lower_snake status code' })
  toStatus!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  /** For no_show: who did not show up (default customer). */
  @IsOptional()
  @IsIn(NO_SHOW_PARTIES)
  party?: string;
}

export class RescheduleAppointmentDto extends AppointmentIdDto {
  @IsISO8601({ strict: true })
  startsAt!: string;

  @IsISO8601({ strict: true })
  endsAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class OfferAssignmentDto extends AppointmentIdDto {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsIn(TICKET_ASSIGNEE_ROLES)
  role?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  responseDeadline?: string;
}

export class AssignmentTargetDto extends AppointmentIdDto {
  @IsUUID()
  userId!: string;
}

export class AcceptAssignmentDto extends AssignmentTargetDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class DeclineAssignmentDto extends AssignmentTargetDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsBoolean()
  availableForFuture!: boolean;
}

export class EnRouteDto extends AssignmentTargetDto {
  @IsOptional()
  @IsISO8601({ strict: true })
  eta?: string;
}

export class CheckInDto extends AppointmentIdDto {
  /** Defaults to the caller; a manager may check a technician in. */
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsLatitude()
  lat!: number;

  @IsLongitude()
  lng!: number;

  /** Metres. */
  @IsNumber()
  @Min(0)
  @Max(100000)
  accuracy!: number;

  @IsIn(CHECK_IN_VERIFICATION_METHODS)
  verificationMethod!: string;
}

export class CheckOutDto extends AppointmentIdDto {
  @IsOptional()
  @IsUUID()
  userId?: string;

  @IsOptional()
  @IsLatitude()
  lat?: number;

  @IsOptional()
  @IsLongitude()
  lng?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100000)
  accuracy?: number;

  /** Defaults to the time since check-in. */
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(24 * 7)
  hoursWorked?: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  feedback?: string;
}

export class NoShowDto extends AssignmentTargetDto {
  @IsIn(NO_SHOW_CONSEQUENCES)
  consequenceLevel!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}
