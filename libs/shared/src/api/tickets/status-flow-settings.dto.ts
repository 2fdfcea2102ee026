import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { STATUS_CODE_PATTERN } from './tickets.dto';

export class FlowStatusDto {
  @Matches(STATUS_CODE_PATTERN)
  code!: string;

  @IsString()
  @MaxLength(100)
  label!: string;

  @IsOptional()
  @Matches(/^#[0-9A-Fa-f]{6}$/)
  color?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  icon?: string;

  @IsInt()
  @Min(0)
  order!: number;

  @IsBoolean()
  isInitial!: boolean;

  @IsBoolean()
  isTerminal!: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;
}

export class FlowTransitionDto {
  @Matches(STATUS_CODE_PATTERN)
  from!: string;

  @Matches(STATUS_CODE_PATTERN)
  to!: string;

  @IsBoolean()
  requiresReason!: boolean;

  @IsOptional()
  @IsBoolean()
  requiresEvidence?: boolean;

  /** Accepted so a GET can be PUT back; tickets and appointments take no automatic moves of their own. */
  @IsOptional()
  @IsBoolean()
  isAutomatic?: boolean;
}

/** A tenant's replacement flow for the ticket or appointment machine (PUT replaces it as a whole). */
export class PutStatusFlowDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FlowStatusDto)
  statuses!: FlowStatusDto[];

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => FlowTransitionDto)
  transitions!: FlowTransitionDto[];
}
