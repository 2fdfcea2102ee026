import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AssigneeRef, CONTRACT_EVENT_TYPES } from '../../catalog/events-service.catalog';
import { CalendarDate, Money, PageQuery } from './common.dto';

/** GET /v1/events */
export class ListEventsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @IsOptional()
  @IsIn(CONTRACT_EVENT_TYPES)
  type?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/, { message: 'status must be one or more status codes, comma separated' })
  status?: string;

  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** PATCH /v1/events/{id}: reschedule and/or notes. A reschedule needs a reason. */
export class UpdateEventBody {
  @IsOptional()
  @CalendarDate()
  scheduledDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @IsInt()
  @Min(1)
  version!: number;
}
export class UpdateEventDto extends UpdateEventBody {
  @IsUUID()
  id!: string;
}

/** POST /v1/events/{id}/transitions */
export class TransitionEventBody {
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'toStatus must be a status code such as in_progress' })
  toStatus!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  /** Evidence recorded on a ticket of this event (known from the tickets service's events). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];

  @IsInt()
  @Min(1)
  version!: number;
}
export class TransitionEventDto extends TransitionEventBody {
  @IsUUID()
  id!: string;
}

/** PUT /v1/events/{id}/assignees: the full new list. */
export class SetAssigneesBody {
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AssigneeRef)
  assignees!: AssigneeRef[];
}
export class SetAssigneesDto extends SetAssigneesBody {
  @IsUUID()
  id!: string;
}

/** POST /v1/events/{id}/tasks */
export class CreateEventTaskBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsOptional()
  @CalendarDate()
  dueDate?: string;

  /** A required sub-task blocks the event's completion while open, where the tenant's flow gates it. */
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @IsOptional()
  @IsBoolean()
  done?: boolean;
}
export class CreateEventTaskDto extends CreateEventTaskBody {
  @IsUUID()
  id!: string;
}

/** PATCH /v1/events/{id}/tasks/{taskId} */
export class UpdateEventTaskBody {
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
export class EventTaskParams {
  @IsUUID()
  id!: string;

  @IsUUID()
  taskId!: string;
}
export class UpdateEventTaskDto extends UpdateEventTaskBody {
  @IsUUID()
  id!: string;

  @IsUUID()
  taskId!: string;
}

/** POST /v1/events/{id}/payments: money received against a billing event (moves it to partial_payment / paid). */
export class RecordPaymentBody {
  @Money()
  amount!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @IsInt()
  @Min(1)
  version!: number;
}
export class RecordPaymentDto extends RecordPaymentBody {
  @IsUUID()
  id!: string;
}

/** GET /v1/cockpit */
export class CockpitQuery {
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** GET /v1/events/{id}/audit */
export class EventAuditQuery extends PageQuery {}
export class EventAuditDto extends PageQuery {
  @IsUUID()
  id!: string;
}

/** GET /v1/events/{id}/transitions, GET /v1/events/{id} */
export class EventIdDto {
  @IsUUID()
  id!: string;
}
