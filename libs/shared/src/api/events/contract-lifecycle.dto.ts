import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../contract/page';
import { CalendarDate, Describe, Nullable } from '../../validation/decorators';
import { EventAuditActorView } from './contract-events.views';

/** POST /v1/contracts/{id}/renew */
export class RenewContractDto {
  @IsUUID()
  @Describe('The contract to renew (active, completed or expired)')
  id!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^\S(.*\S)?$/, { message: 'contractNumber must not start or end with spaces' })
  @Describe('The renewal’s number; default: the old number followed by -R', 'AMC-2027-001')
  contractNumber?: string;

  @IsOptional()
  @CalendarDate()
  @Describe('Default: the day after the old contract’s end date')
  startDate?: string;

  @IsOptional()
  @CalendarDate()
  @Describe('Default: as long as the old contract, from the new start date')
  endDate?: string;
}

/** GET /v1/contracts/{id}/history */
export class ContractHistoryQuery extends PageQuery {
  @IsUUID()
  @Describe('The contract')
  id!: string;
}

export class ContractStatusHistoryEntryView {
  @IsString() @Describe('Increasing with time') id!: string;
  @Nullable() @IsString() from!: string | null;
  @IsString() to!: string;
  @ValidateNested() @Type(() => EventAuditActorView) @Describe('Who made the change: a user, VaNi or System') actor!: EventAuditActorView;
  @IsIn(['user', 'system', 'vani']) source!: string;
  @Nullable() @IsString() reason!: string | null;
  @Nullable() @IsInt() @Describe('Seconds the contract spent in the previous status') timeInPreviousStatus!: number | null;
  @IsISO8601() at!: string;
}

/** GET/PUT /v1/settings/contracts */
export class ContractSettingsView {
  @IsInt() @Describe('Days before a contract’s end date that CONTRACT_RENEWAL_UPCOMING is sent (once per contract)') renewalNoticeDays!: number;
}

export class UpdateContractSettingsDto {
  @IsInt()
  @Min(0)
  @Max(365)
  @Describe('0–365 days; default 30', 30)
  renewalNoticeDays!: number;
}

/** GET /v1/contracts/{id}/payments */
export class ContractPaymentView {
  @IsUUID() id!: string;
  @IsUUID() @Describe('The billing event') eventId!: string;
  @IsString() amount!: string;
  @Nullable() @IsString() currency!: string | null;
  @IsString() method!: string;
  @Nullable() @IsString() reference!: string | null;
  @IsISO8601() paidAt!: string;
  @ValidateNested() @Type(() => EventAuditActorView) recordedBy!: EventAuditActorView;
  @IsString() source!: string;
  @IsISO8601() recordedAt!: string;
}

export class ContractPaymentsView {
  @IsUUID() contractId!: string;
  @IsString() @Describe('Sum of the contract’s billing events') totalBilled!: string;
  @IsString() @Describe('Received so far') totalPaid!: string;
  @IsString() @Describe('totalBilled − totalPaid') balance!: string;
  @ValidateNested({ each: true }) @Type(() => ContractPaymentView) @Describe('Oldest first') items!: ContractPaymentView[];
}
