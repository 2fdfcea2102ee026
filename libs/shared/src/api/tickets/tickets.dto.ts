import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TICKET_ASSIGNEE_ROLES } from './tickets.vocabulary';

/** Status codes are data; this only checks their shape. */
export const STATUS_CODE_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;

export class TicketAssigneeDto {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsIn(TICKET_ASSIGNEE_ROLES)
  role!: string;
}

export class CreateTicketDto {
  @IsUUID()
  contractId!: string;

  /** Service and spare_part events of that contract, not on another open ticket. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TicketAssigneeDto)
  assignees?: TicketAssigneeDto[];

  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledFor?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

export class PageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class ListTicketsDto extends PageDto {
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @Matches(STATUS_CODE_PATTERN)
  status?: string;

  @IsOptional()
  @IsUUID()
  assigneeId?: string;
}

export class TicketIdDto {
  @IsUUID()
  id!: string;
}

export class AddTicketEventsDto extends TicketIdDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class RemoveTicketEventDto extends TicketIdDto {
  @IsUUID()
  eventId!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class TransitionTicketDto extends TicketIdDto {
  @Matches(STATUS_CODE_PATTERN, { message: 'toStatus must be a lower_snake status code' })
  toStatus!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;

  /** The version the caller read; a stale one is a 409. */
  @IsInt()
  @Min(1)
  version!: number;
}
