import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsTimeZone, IsUUID, ValidateNested } from 'class-validator';
import { CalendarDate, Describe, Nullable } from '../../validation/decorators';
import { CountsByCode } from './common.dto';
import { CONTRACT_STATUSES, ContractBilling, ContractChangeRequest, ContractCustomer, ServicePromise, SparePartPromise } from './contracts.dto';

export class ContractRejectionView {
  @IsString() reason!: string;
  @IsBoolean() allowResubmission!: boolean;
  @IsString() @Describe('Who rejected it') by!: string;
  @IsISO8601() at!: string;
}

export class ContractChangesRequestedView {
  @ValidateNested({ each: true }) @Type(() => ContractChangeRequest) changes!: ContractChangeRequest[];
  @IsString() @Describe('Who asked for the changes') by!: string;
  @IsISO8601() at!: string;
}

export class ContractApprovalView {
  @IsOptional() @IsString() notes?: string;
  @IsString() @Describe('Who approved it') by!: string;
  @IsISO8601() at!: string;
}

/** The review trail of a booking: each step present once it happened (the latest of its kind). */
export class ContractReviewView {
  @IsOptional() @IsISO8601() submittedAt?: string;
  @IsOptional() @ValidateNested() @Type(() => ContractChangesRequestedView) changesRequested?: ContractChangesRequestedView;
  @IsOptional() @ValidateNested() @Type(() => ContractRejectionView) rejection?: ContractRejectionView;
  @IsOptional() @ValidateNested() @Type(() => ContractApprovalView) approval?: ContractApprovalView;
}

/** A contract or booking, with its promises as they were accepted. */
export class ContractView {
  @IsUUID() id!: string;
  @IsString() contractNumber!: string;
  @IsString() title!: string;
  @ValidateNested() @Type(() => ContractCustomer) customer!: ContractCustomer;
  @CalendarDate() startDate!: string;
  @CalendarDate() endDate!: string;
  @IsTimeZone() timezone!: string;
  @Nullable() @IsUUID() accountManagerId!: string | null;
  @ValidateNested({ each: true }) @Type(() => ServicePromise) services!: ServicePromise[];
  @ValidateNested({ each: true }) @Type(() => SparePartPromise) spareParts!: SparePartPromise[];
  @Nullable() @ValidateNested() @Type(() => ContractBilling) billing!: ContractBilling | null;
  @IsIn(CONTRACT_STATUSES) status!: string;
  @ValidateNested() @Type(() => ContractReviewView) review!: ContractReviewView;
  @IsBoolean() @Describe('The promises changed while under review: the reviewer should look again') needsReapproval!: boolean;
  @IsInt() @Describe('Events materialised at activation (0 before)') totalEvents!: number;
  @Nullable() @IsISO8601() activatedAt!: string | null;
  @Nullable() @IsISO8601() @Describe('When it was cancelled, completed or expired') closedAt!: string | null;
  @Nullable() @IsString() cancelReason!: string | null;
  @Nullable() @IsUUID() @Describe('The contract this one renews (set on a renewal draft)') renewedFromId!: string | null;
  @Nullable() @IsUUID() @Describe('The renewal drafted from this contract (POST /contracts/{id}/renew)') renewedById!: string | null;
  @IsInt() @Describe('Send it back with a PATCH; it changes on every write') version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class ContractEventTypeCountsView {
  @IsInt() total!: number;
  @CountsByCode('Events of this type per status code') byStatus!: Record<string, number>;
}

/** Per event type, present once the contract has events of that type. */
export class ContractEventCountsView {
  @IsOptional() @ValidateNested() @Type(() => ContractEventTypeCountsView) service?: ContractEventTypeCountsView;
  @IsOptional() @ValidateNested() @Type(() => ContractEventTypeCountsView) spare_part?: ContractEventTypeCountsView;
  @IsOptional() @ValidateNested() @Type(() => ContractEventTypeCountsView) billing?: ContractEventTypeCountsView;
}

export class ContractDetailView extends ContractView {
  @ValidateNested() @Type(() => ContractEventCountsView) eventCounts!: ContractEventCountsView;
}

export class CancelledContractView extends ContractView {
  @IsUUID('all', { each: true }) @Describe('The open events this cancellation cancelled (empty when it was already cancelled)') affectedEventIds!: string[];
}

/** What is left of one promised part, computed from the contract’s spare-part events. */
export class SparePartBalanceView {
  @IsString() partId!: string;
  @IsString() name!: string;
  @IsBoolean() unlimited!: boolean;
  @Nullable() @IsInt() @Describe('null when unlimited') promisedQty!: number | null;
  @IsInt() @Describe('Units on events that are not cancelled (delivered, in flight or planned)') scheduledQty!: number;
  @IsInt() completedQty!: number;
  @Nullable() @IsInt() @Describe('promised − completed; null when unlimited') remainingQty!: number | null;
  @Nullable() @IsInt() @Describe('What may still be requested on demand: promised − scheduled; null when unlimited') availableQty!: number | null;
}

export class ContractSparePartsView {
  @IsUUID() contractId!: string;
  @ValidateNested({ each: true }) @Type(() => SparePartBalanceView) items!: SparePartBalanceView[];
}
