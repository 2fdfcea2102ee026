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
import { JSONSchema } from 'class-validator-jsonschema';
import { CONTRACT_EVENT_TYPES } from '../../catalog/events-service.catalog';
import { Describe, Nullable } from '../../validation/decorators';

/** Cockpit buckets a status can belong to. */
export const STATUS_BUCKETS = ['upcoming', 'due', 'overdue', 'in_progress', 'done', 'cancelled'] as const;
export type StatusBucket = (typeof STATUS_BUCKETS)[number];

const CODE = /^[a-z][a-z0-9_]{0,49}$/;
const CODE_MESSAGE = '$property must be a lower_snake status code';

export class EventTypeParams {
  @IsIn(CONTRACT_EVENT_TYPES)
  @Describe('service, spare_part or billing')
  eventType!: string;
}

/*
 * What GET answers can be sent back by PUT: `null` colour and icon are accepted, and every flag left out is
 * false, so adding a transition needs only its `from` and `to`.
 */

export class EventStatusDefinitionDto {
  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(50)
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label!: string;

  @IsOptional()
  @IsHexColor()
  @MaxLength(9)
  @JSONSchema({ nullable: true, description: 'Hex colour; null or left out for none', example: '#10B981' })
  color?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @JSONSchema({ nullable: true, description: 'Icon name; null or left out for none', example: 'CheckCircle' })
  icon?: string | null;

  @IsInt()
  @Min(0)
  @Max(1000)
  order!: number;

  @IsOptional()
  @IsBoolean()
  @Describe('Exactly one status of the flow is initial: new events start in it (default false)')
  isInitial?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('Default false')
  isTerminal?: boolean;

  @IsIn(STATUS_BUCKETS)
  @Describe('The cockpit bucket it counts in')
  category!: string;
}

export class EventTransitionDefinitionDto {
  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(50)
  from!: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(50)
  to!: string;

  @IsOptional()
  @IsBoolean()
  @Describe('Default false')
  requiresReason?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('Default false')
  requiresEvidence?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('A move the system makes (scheduler, payments, ticket sync); people may not take a money-driven one by hand. Default false')
  isAutomatic?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('Refuse this move while a required sub-task of the event is open. Default false')
  requiresTasksDone?: boolean;
}

/** PUT /v1/settings/event-statuses/{eventType}: replaces the tenant's flow for one event type. */
export class ReplaceEventStatusesDto {
  @IsIn(CONTRACT_EVENT_TYPES)
  @Describe('service, spare_part or billing')
  eventType!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EventStatusDefinitionDto)
  statuses!: EventStatusDefinitionDto[];

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => EventTransitionDefinitionDto)
  transitions!: EventTransitionDefinitionDto[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  @Describe('Days before its date at which the scheduler moves an event to due (unchanged when left out)')
  dueLeadDays?: number;
}

export class EventStatusView {
  @IsString() code!: string;
  @IsString() label!: string;
  @Nullable() @IsString() color!: string | null;
  @Nullable() @IsString() icon!: string | null;
  @IsInt() order!: number;
  @IsBoolean() isInitial!: boolean;
  @IsBoolean() isTerminal!: boolean;
  @IsIn(STATUS_BUCKETS) @Describe('The cockpit bucket it counts in') category!: string;
}

export class EventStatusTransitionView {
  @IsString() from!: string;
  @IsString() to!: string;
  @IsBoolean() requiresReason!: boolean;
  @IsBoolean() requiresEvidence!: boolean;
  @IsBoolean() isAutomatic!: boolean;
  @IsBoolean() requiresTasksDone!: boolean;
}

/** The tenant’s flow of one event type. */
export class EventStatusFlowView {
  @IsIn(CONTRACT_EVENT_TYPES) eventType!: string;
  @IsBoolean() @Describe('false: the system defaults apply (DELETE goes back to them)') isTenantOverride!: boolean;
  @IsInt() dueLeadDays!: number;
  @ValidateNested({ each: true }) @Type(() => EventStatusView) statuses!: EventStatusView[];
  @ValidateNested({ each: true }) @Type(() => EventStatusTransitionView) transitions!: EventStatusTransitionView[];
}
