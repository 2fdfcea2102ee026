import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
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
import { PageQuery } from '../../contract/page';
import { CalendarDate, Describe, Version } from '../../validation/decorators';
import { Money } from './common.dto';

export const CONTRACT_STATUSES = ['draft', 'pending_review', 'changes_requested', 'rejected', 'active', 'completed', 'expired', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const CADENCE_UNITS = ['day', 'week', 'month'] as const;
export const BILLING_MODES = ['prepaid', 'emi', 'schedule'] as const;
/** The most events one contract may materialise (and so the most one promise may ask for). */
export const MAX_EVENTS_PER_CONTRACT = 5000;

/*
 * The nested classes below describe a contract's promises both as they are sent and as the contract
 * answers them: what was accepted is stored and returned as it came.
 */

export class ServiceCadence {
  @IsIn(CADENCE_UNITS)
  unit!: 'day' | 'week' | 'month';

  @IsInt()
  @Min(1)
  @Max(366)
  @Describe('Every `interval` units: `{ unit: month, interval: 3 }` is quarterly')
  interval!: number;
}

/**
 * A promised service visit plan: `quantity` alone (spread evenly over the period), `every` alone (one per
 * period to the end date), `quantity` with `every` (that many at that cadence from the start date), or
 * `rrule` alone.
 */
export class ServicePromise {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PER_CONTRACT)
  @Describe(
    'How many visits. Alone: spread evenly over the period. With `every`: that many at that cadence from the start date, refused if they do not fit before the end date',
  )
  quantity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceCadence)
  @Describe('The cadence. Alone: one visit per period from the start date to the end date')
  every?: ServiceCadence;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Describe('RFC 5545 rule, alone (no quantity, no every); DTSTART and the bounds come from the contract period', 'FREQ=MONTHLY;BYMONTHDAY=15')
  rrule?: string;
}

/** A promised spare part: exactly one of `promisedQty` or `unlimited: true`. */
export class SparePartPromise {
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
  @Max(MAX_EVENTS_PER_CONTRACT)
  @Describe('Units promised: spread evenly over the period as spare-part events at activation')
  promisedQty?: number;

  @IsOptional()
  @IsBoolean()
  @Describe('No events up front: units are requested on demand (POST /contracts/{id}/events)')
  unlimited?: boolean;
}

export class BillingMilestone {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @Money()
  amount!: string;

  @CalendarDate()
  @Describe('Inside the contract period')
  dueDate!: string;
}

/** prepaid: one event on the start date; emi: `installments` events every `every` (default monthly); schedule: `milestones`. */
export class ContractBilling {
  @IsIn(BILLING_MODES)
  mode!: 'prepaid' | 'emi' | 'schedule';

  @Money()
  @Describe('The billing events of the contract sum exactly to it', '12000.00')
  total!: string;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as INR' })
  @MaxLength(3)
  currency!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  @Describe('emi: how many installments; the last must fall before the end date')
  installments?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ServiceCadence)
  @Describe('emi: the cadence of installments (default monthly)')
  every?: ServiceCadence;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(600)
  @ValidateNested({ each: true })
  @Type(() => BillingMilestone)
  @Describe('schedule: the milestones; their amounts sum to the total')
  milestones?: BillingMilestone[];
}

export class ContractCustomer {
  @IsOptional()
  @IsUUID()
  @Describe('The customer’s id when the customer is a known contact')
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

export class ContractChangeRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Describe('The field to change, as a path', 'billing.installments')
  field!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  suggestedValue?: string;
}

/** The promises of a contract; every field may be left out (nothing promised of that kind). */
export class ContractPromisesFields {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ServicePromise)
  services?: ServicePromise[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SparePartPromise)
  spareParts?: SparePartPromise[];

  @IsOptional()
  @ValidateNested()
  @Type(() => ContractBilling)
  billing?: ContractBilling;
}

/** POST /v1/contracts: a draft contract or booking with its promises. */
export class CreateContractDto extends ContractPromisesFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @Describe('Unique in the tenant', 'AMC-2026-001')
  contractNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => ContractCustomer)
  customer!: ContractCustomer;

  @CalendarDate()
  startDate!: string;

  @CalendarDate()
  @Describe('Not before startDate; every planned event falls on or before it')
  endDate!: string;

  @IsTimeZone()
  @Describe('IANA zone: events fall on local midnights of it', 'Asia/Kolkata')
  timezone!: string;

  @IsOptional()
  @IsUUID()
  accountManagerId?: string;
}

/** PATCH /v1/contracts/{id}: the fields to change, at the version read. */
export class UpdateContractDto extends ContractPromisesFields {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @Version()
  version!: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ContractCustomer)
  customer?: ContractCustomer;

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

/** GET /v1/contracts */
export class ListContractsQuery extends PageQuery {
  @IsOptional()
  @IsIn(CONTRACT_STATUSES)
  @Describe('Only contracts in this status')
  status?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe('Case-insensitive search in the contract number, the title and the customer name', 'acme')
  q?: string;
}

export class ApproveContractDto {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class RejectContractDto {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsBoolean()
  @Describe('true: the author may edit and resubmit; false: the booking is closed for good')
  allowResubmission!: boolean;
}

export class RequestContractChangesDto {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContractChangeRequest)
  changes!: ContractChangeRequest[];
}

export class CancelContractDto {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

/** POST /v1/contracts/{id}/events: an on-demand event (spare part from the balance, or an ad-hoc service). */
export class CreateOnDemandEventDto {
  @IsUUID()
  @Describe('The contract')
  id!: string;

  @IsIn(['service', 'spare_part'])
  type!: 'service' | 'spare_part';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe('spare_part: which promised part')
  partId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  @Describe('spare_part: units (default 1); a limited part allows at most its availableQty')
  quantity?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @CalendarDate()
  scheduledDate!: string;
}
