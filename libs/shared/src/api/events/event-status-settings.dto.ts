import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsHexColor,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTRACT_EVENT_TYPES } from '../../catalog/events-service.catalog';

/** Cockpit buckets a status can belong to. */
export const STATUS_BUCKETS = ['upcoming', 'due', 'overdue', 'in_progress', 'done', 'cancelled'] as const;
export type StatusBucket = (typeof STATUS_BUCKETS)[number];

const CODE = /^[a-z][a-z0-9_]{0,49}$/;
const CODE_MESSAGE = '$property must be a lower_snake status code';

export class EventTypeParams {
  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;
}

export class StatusDefinitionDto {
  @Matches(CODE, { message: CODE_MESSAGE })
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label!: string;

  @IsOptional()
  @IsHexColor()
  color?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  icon?: string;

  @IsInt()
  @Min(0)
  @Max(1000)
  order!: number;

  @IsBoolean()
  isInitial!: boolean;

  @IsBoolean()
  isTerminal!: boolean;

  @IsIn(STATUS_BUCKETS)
  category!: string;
}

export class TransitionDefinitionDto {
  @Matches(CODE, { message: CODE_MESSAGE })
  from!: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  to!: string;

  @IsBoolean()
  requiresReason!: boolean;

  @IsBoolean()
  requiresEvidence!: boolean;

  /** Moves the system makes (scheduler, payments, ticket sync); people may not take a money-driven one by hand. */
  @IsOptional()
  @IsBoolean()
  isAutomatic?: boolean;

  /** Refuse this move while a required sub-task of the event is open. */
  @IsOptional()
  @IsBoolean()
  requiresTasksDone?: boolean;
}

/** PUT /v1/settings/event-statuses/{eventType}: replaces the tenant's flow for one event type. */
export class ReplaceEventStatusesBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StatusDefinitionDto)
  statuses!: StatusDefinitionDto[];

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TransitionDefinitionDto)
  transitions!: TransitionDefinitionDto[];

  /** Days before its date at which the scheduler moves an event to `due` (default 7). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  dueLeadDays?: number;
}
export class ReplaceEventStatusesDto extends ReplaceEventStatusesBody {
  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;
}
