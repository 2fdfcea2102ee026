import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Describe, Nullable } from '../../validation/decorators';
import { StatusCode } from './tickets.dto';
import { APPOINTMENT_MACHINE, TICKET_MACHINE } from './tickets.vocabulary';

const COLOR = /^#[0-9A-Fa-f]{6}$/;

/** One status of a tenant's ticket or appointment flow. */
export class TicketFlowStatusDto {
  @StatusCode('The code transitions and tickets name')
  code!: string;

  @IsString()
  @MaxLength(100)
  label!: string;

  @IsOptional()
  @Matches(COLOR, { message: 'color must be #RRGGBB' })
  @MaxLength(7)
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

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe('upcoming, in_progress, done or cancelled: what completing and cancelling hang on besides the codes')
  category?: string;
}

export class TicketFlowTransitionDto {
  @StatusCode('From this status')
  from!: string;

  @StatusCode('To this status')
  to!: string;

  @IsBoolean()
  requiresReason!: boolean;

  @IsOptional()
  @IsBoolean()
  requiresEvidence?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('Accepted so that a GET can be PUT back; tickets and appointments make no automatic moves of their own')
  isAutomatic?: boolean;
}

/** `PUT /v1/settings/ticket-statuses` and `/appointment-statuses`: the whole flow, replaced at once. */
export class ReplaceTicketFlowDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TicketFlowStatusDto)
  statuses!: TicketFlowStatusDto[];

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TicketFlowTransitionDto)
  transitions!: TicketFlowTransitionDto[];
}

export class TicketFlowStatusView {
  @IsString()
  code!: string;

  @IsString()
  label!: string;

  @Nullable()
  @IsString()
  color!: string | null;

  @Nullable()
  @IsString()
  icon!: string | null;

  @IsInt()
  order!: number;

  @IsBoolean()
  isInitial!: boolean;

  @IsBoolean()
  isTerminal!: boolean;

  @Nullable()
  @IsString()
  category!: string | null;
}

export class TicketFlowTransitionView {
  @IsString()
  from!: string;

  @IsString()
  to!: string;

  @IsBoolean()
  requiresReason!: boolean;

  @IsBoolean()
  requiresEvidence!: boolean;

  @IsBoolean()
  isAutomatic!: boolean;
}

/** The tenant's ticket or appointment flow: its own, or the system default until it sets one. */
export class TicketFlowView {
  @IsIn([TICKET_MACHINE, APPOINTMENT_MACHINE])
  machine!: string;

  @IsBoolean()
  @Describe('false: the system default applies')
  isTenantOverride!: boolean;

  @ValidateNested({ each: true })
  @Type(() => TicketFlowStatusView)
  statuses!: TicketFlowStatusView[];

  @ValidateNested({ each: true })
  @Type(() => TicketFlowTransitionView)
  transitions!: TicketFlowTransitionView[];
}
