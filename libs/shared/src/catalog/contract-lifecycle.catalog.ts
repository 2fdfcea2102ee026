import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { CHANGE_SOURCES } from '../context/actor';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';
import { ContractRef, CustomerRef, DECIMAL_PATTERN } from './events-service.catalog';

/** Who made a change, as audits show it (actor type, id, name). */
export class ChangedByRef {
  @IsIn(['user', 'vani', 'system', 'webhook'])
  type!: string;

  /** A user's id, or the well-known id of VaNi, System or Webhook. */
  @IsString()
  @MaxLength(36)
  id!: string;

  @IsString()
  name!: string;
}

export class ContractStatusChangedPayload extends DomainEventPayload {
  @IsUUID()
  contractId!: string;

  @IsString()
  contractNumber!: string;

  @IsString()
  title!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerRef)
  customer?: CustomerRef;

  /** null for a contract's first status (never today: contracts are born draft without an event). */
  @IsOptional()
  @IsString()
  previousStatus?: string;

  @IsString()
  @IsNotEmpty()
  newStatus!: string;

  @IsOptional()
  @IsString()
  reason?: string;

  @ValidateNested()
  @Type(() => ChangedByRef)
  changedBy!: ChangedByRef;

  @IsIn(CHANGE_SOURCES)
  source!: string;

  /** The contract's version after the change (the read models keep the newest). */
  @IsInt()
  @Min(1)
  version!: number;
}

export class ContractRenewalUpcomingPayload extends DomainEventPayload {
  @IsUUID()
  contractId!: string;

  @IsString()
  contractNumber!: string;

  @IsString()
  title!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerRef)
  customer?: CustomerRef;

  @IsISO8601({ strict: true })
  endDate!: string;

  @IsInt()
  @Min(0)
  daysUntilEnd!: number;

  /** The tenant's lead time that made it due. */
  @IsInt()
  @Min(0)
  noticeDays!: number;

  @IsOptional()
  @IsUUID()
  accountManagerId?: string;
}

export class ContractRenewedPayload extends DomainEventPayload {
  /** The new (draft) contract. */
  @IsUUID()
  contractId!: string;

  @IsString()
  contractNumber!: string;

  @IsUUID()
  renewedFromId!: string;

  @IsString()
  renewedFromNumber!: string;

  @IsISO8601({ strict: true })
  startDate!: string;

  @IsISO8601({ strict: true })
  endDate!: string;

  @IsUUID()
  renewedBy!: string;
}

export class PaymentRecordedPayload extends DomainEventPayload {
  @IsUUID()
  paymentId!: string;

  @IsUUID()
  contractId!: string;

  @ValidateNested()
  @Type(() => ContractRef)
  contract!: ContractRef;

  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerRef)
  customer?: CustomerRef;

  /** The billing event. */
  @IsUUID()
  eventId!: string;

  @IsString()
  taskId!: string;

  @IsString()
  eventTitle!: string;

  @Matches(DECIMAL_PATTERN)
  amount!: string;

  @IsOptional()
  @IsString()
  currency?: string;

  @IsString()
  method!: string;

  @IsOptional()
  @IsString()
  reference?: string;

  @IsISO8601({ strict: true })
  paidAt!: string;

  /** Received on this billing event so far, this payment included. */
  @Matches(DECIMAL_PATTERN)
  totalPaid!: string;

  /** Still outstanding on this billing event. */
  @Matches(DECIMAL_PATTERN)
  balance!: string;

  /** Received on every billing event of the contract, this payment included. */
  @Matches(DECIMAL_PATTERN)
  contractTotalPaid!: string;

  /** What the contract's billing events still wait for. */
  @Matches(DECIMAL_PATTERN)
  contractBalance!: string;

  @IsString()
  eventStatus!: string;

  @ValidateNested()
  @Type(() => ChangedByRef)
  recordedBy!: ChangedByRef;
}

const contract = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'booking', description, retention: 'booking', producers: ['events'] });

/** The contract lifecycle and payments (issue 14), produced by the events service. */
export const CONTRACT_LIFECYCLE_EVENTS: EventDefinition[] = [
  contract(
    'CONTRACT_STATUS_CHANGED',
    ContractStatusChangedPayload,
    'A contract moved to another status (submitted, approved/activated, rejected, changes requested, cancelled, completed or expired at its end date); every change, with who made it.',
  ),
  contract(
    'CONTRACT_RENEWAL_UPCOMING',
    ContractRenewalUpcomingPayload,
    'An active contract ends within the tenant’s renewal notice (default 30 days). Once per contract, sent by the scheduler as System.',
  ),
  contract('CONTRACT_RENEWED', ContractRenewedPayload, 'A renewal was drafted: a new contract linked to the old one, its promises copied with dates shifted.'),
  contract(
    'PAYMENT_RECORDED',
    PaymentRecordedPayload,
    'Money was received against a billing event: amount, method, reference, the running total and the balance (event and contract).',
  ),
];
