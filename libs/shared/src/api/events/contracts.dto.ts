import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ChangeRequest, CustomerRef } from '../../catalog/events-service.catalog';
import { CalendarDate, IdParams, Money, PageQuery } from './common.dto';

export const CONTRACT_STATUSES = ['draft', 'pending_review', 'changes_requested', 'rejected', 'active', 'completed', 'expired', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const CADENCE_UNITS = ['day', 'week', 'month'] as const;
export const BILLING_MODES = ['prepaid', 'emi', 'schedule'] as const;

export class CadenceDto {
  @IsIn(CADENCE_UNITS)
  unit!: 'day' | 'week' | 'month';

  @IsInt()
  @Min(1)
  @Max(366)
  interval!: number;
}

/** A promised service: exactly one of `quantity` (spread evenly), `every` (cadence) or `rrule` (RFC 5545). */
export class ServicePromiseDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  quantity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => CadenceDto)
  every?: CadenceDto;

  /** e.g. `FREQ=MONTHLY;BYMONTHDAY=15`; DTSTART/UNTIL come from the contract period. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  rrule?: string;
}

/** A promised spare part: exactly one of `promisedQty` or `unlimited: true`. */
export class SparePartPromiseDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  partId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  promisedQty?: number;

  @IsOptional()
  @IsBoolean()
  unlimited?: boolean;
}

export class MilestoneDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @Money()
  amount!: string;

  @CalendarDate()
  dueDate!: string;
}

/** prepaid: one event on the start date; emi: `installments` events every `every` (default monthly); schedule: `milestones`. */
export class BillingDto {
  @IsIn(BILLING_MODES)
  mode!: 'prepaid' | 'emi' | 'schedule';

  @Money()
  total!: string;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as INR' })
  currency!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  installments?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => CadenceDto)
  every?: CadenceDto;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(600)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];
}

export class ContractPromisesFields {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ServicePromiseDto)
  services?: ServicePromiseDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SparePartPromiseDto)
  spareParts?: SparePartPromiseDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => BillingDto)
  billing?: BillingDto;
}

/** POST /v1/contracts: a draft contract or booking with its promises. */
export class CreateContractDto extends ContractPromisesFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  contractNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @ValidateNested()
  @Type(() => CustomerRef)
  customer!: CustomerRef;

  @CalendarDate()
  startDate!: string;

  @CalendarDate()
  endDate!: string;

  @IsTimeZone()
  timezone!: string;

  @IsOptional()
  @IsUUID()
  accountManagerId?: string;
}

/** PATCH /v1/contracts/{id} body. */
export class UpdateContractBody extends ContractPromisesFields {
  @IsInt()
  @Min(1)
  version!: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerRef)
  customer?: CustomerRef;

  @IsOptional()
  @CalendarDate()
  startDate?: string;

  @IsOptional()
  @CalendarDate()
  endDate?: string;

  @IsOptional()
  @IsTimeZone()
  timezone?: string;

  @IsOptional()
  @IsUUID()
  accountManagerId?: string;
}
export class UpdateContractDto extends UpdateContractBody {
  @IsUUID()
  id!: string;
}

/** GET /v1/contracts */
export class ListContractsQuery extends PageQuery {
  @IsOptional()
  @IsIn(CONTRACT_STATUSES)
  status?: string;
}

export class ContractIdDto extends IdParams {}

export class ApproveContractBody {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}
export class ApproveContractDto extends ApproveContractBody {
  @IsUUID()
  id!: string;
}

export class RejectContractBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsBoolean()
  allowResubmission!: boolean;
}
export class RejectContractDto extends RejectContractBody {
  @IsUUID()
  id!: string;
}

export class RequestChangesBody {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ChangeRequest)
  changes!: ChangeRequest[];
}
export class RequestChangesDto extends RequestChangesBody {
  @IsUUID()
  id!: string;
}

export class CancelContractBody {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
export class CancelContractDto extends CancelContractBody {
  @IsUUID()
  id!: string;
}

/** POST /v1/contracts/{id}/events: an on-demand event (spare part from the balance, or an ad-hoc service). */
export class CreateOnDemandEventBody {
  @IsIn(['service', 'spare_part'])
  type!: 'service' | 'spare_part';

  /** Spare parts: which promised part. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @CalendarDate()
  scheduledDate!: string;
}
export class CreateOnDemandEventDto extends CreateOnDemandEventBody {
  @IsUUID()
  id!: string;
}
