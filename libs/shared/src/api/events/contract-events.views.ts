import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ASSIGNEE_ROLES, CONTRACT_EVENT_TYPES } from '../../catalog/events-service.catalog';
import { ACTOR_TYPES } from '../../context/actor';
import { CalendarDate, Describe, Nullable } from '../../validation/decorators';
import { CountsByCode, Money } from './common.dto';

export class EventAssigneeView {
  @IsUUID() userId!: string;
  @Nullable() @IsString() name!: string | null;
  @IsIn(ASSIGNEE_ROLES) role!: string;
}

/** A contract event: a service visit, a spare part to deliver or a billing installment, with its TaskID. */
export class ContractEventView {
  @IsUUID() id!: string;
  @IsString() @Describe('The tenant’s gap-free number of the event', 'TSK-00042') taskId!: string;
  @IsUUID() contractId!: string;
  @IsIn(CONTRACT_EVENT_TYPES) type!: string;
  @IsString() title!: string;
  @IsString() @Describe('A status code of the tenant’s flow for this type') status!: string;
  @IsISO8601() statusChangedAt!: string;
  @IsISO8601() @Describe('Local midnight of its day in the contract’s timezone') scheduledDate!: string;
  @IsISO8601() @Describe('The day planned at activation; a reschedule never changes it') originalDate!: string;
  @Nullable() @IsInt() @Describe('Its place among the events of its promise (null on demand)') sequenceNumber!: number | null;
  @Nullable() @IsInt() totalOccurrences!: number | null;
  @Nullable() @IsString() partId!: string | null;
  @Nullable() @IsInt() @Describe('Units promised for the part (null when unlimited or not a part)') promiseQty!: number | null;
  @IsInt() @Describe('Units this event delivers') quantity!: number;
  @IsBoolean() isUnlimited!: boolean;
  @Nullable() @Money() @Describe('Billing events: the amount due') amount!: string | null;
  @Nullable() @Money() @Describe('Billing events: what payments have settled so far') amountSettled!: string | null;
  @Nullable() @IsString() currency!: string | null;
  @Nullable() @IsString() notes!: string | null;
  @ValidateNested({ each: true }) @Type(() => EventAssigneeView) assignees!: EventAssigneeView[];
  @IsInt() @Describe('Send it back with a move, an edit or a payment; it changes on every write') version!: number;
  @IsString() @Describe('Who created it: system (activation), user, vani…') source!: string;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class EventTaskView {
  @IsUUID() id!: string;
  @IsString() title!: string;
  @Nullable() @CalendarDate() dueDate!: string | null;
  @IsBoolean() required!: boolean;
  @IsBoolean() done!: boolean;
  @Nullable() @IsISO8601() doneAt!: string | null;
  @IsBoolean() @Describe('Created by VaNi or the system rather than a person') isAutoTriggered!: boolean;
  @IsString() source!: string;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

/** One event with its sub-tasks. */
export class ContractEventDetailView extends ContractEventView {
  @ValidateNested({ each: true }) @Type(() => EventTaskView) tasks!: EventTaskView[];
}

export class EventAuditActorView {
  @IsIn(ACTOR_TYPES) type!: string;
  @IsString() @MaxLength(36) @Describe('A user’s id, or the well-known id of VaNi, System or Webhook (not random UUIDs)') id!: string;
  @IsString() name!: string;
}

export class EventAuditEntryView {
  @IsString() @Describe('Increasing with time') id!: string;
  @IsString() @Describe('status, scheduled_date, assignees, notes, task or amount_settled') field!: string;
  @Nullable() @IsString() from!: string | null;
  @Nullable() @IsString() to!: string | null;
  @ValidateNested() @Type(() => EventAuditActorView) actor!: EventAuditActorView;
  @IsString() source!: string;
  @Nullable() @IsString() reason!: string | null;
  @Nullable() @IsInt() @Describe('Status changes: seconds spent in the previous status') timeInPreviousStatus!: number | null;
  @IsISO8601() at!: string;
}

/** A move the tenant’s flow allows from the event’s current status. */
export class EventTransitionOptionView {
  @IsString() toStatus!: string;
  @IsString() label!: string;
  @Nullable() @IsString() color!: string | null;
  @Nullable() @IsString() icon!: string | null;
  @Nullable() @IsString() category!: string | null;
  @IsBoolean() isTerminal!: boolean;
  @IsBoolean() requiresReason!: boolean;
  @IsBoolean() @Describe('evidenceIds of evidence recorded on a ticket of this event') requiresEvidence!: boolean;
  @IsBoolean() @Describe('Refused while a required sub-task is open') requiresTasksDone!: boolean;
  @IsBoolean() @Describe('A move the system makes (scheduler, payments, ticket sync)') isAutomatic!: boolean;
  @IsBoolean() @Describe('false for the money-driven moves (paid, partial_payment): POST /events/{id}/payments makes them') manual!: boolean;
}

export class EventTransitionsView {
  @IsUUID() eventId!: string;
  @IsIn(CONTRACT_EVENT_TYPES) eventType!: string;
  @IsString() currentStatus!: string;
  @IsInt() version!: number;
  @ValidateNested({ each: true }) @Type(() => EventTransitionOptionView) items!: EventTransitionOptionView[];
}

export class CockpitEventView {
  @IsUUID() id!: string;
  @IsString() taskId!: string;
  @IsUUID() contractId!: string;
  @IsString() title!: string;
  @IsString() status!: string;
  @IsISO8601() scheduledDate!: string;
  @Nullable() @Money() amount!: string | null;
  @Nullable() @IsString() currency!: string | null;
}

/** Events per cockpit bucket; the tenant’s flow says which bucket each status belongs to. */
export class CockpitBucketsView {
  @IsInt() upcoming!: number;
  @IsInt() due!: number;
  @IsInt() overdue!: number;
  @IsInt() in_progress!: number;
  @IsInt() done!: number;
  @IsInt() cancelled!: number;
}

export class CockpitTypeView {
  @IsInt() total!: number;
  @ValidateNested() @Type(() => CockpitBucketsView) buckets!: CockpitBucketsView;
  @CountsByCode('Events per status code') byStatus!: Record<string, number>;
  @ValidateNested({ each: true }) @Type(() => CockpitEventView) @Describe('The 10 most overdue, oldest first') overdue!: CockpitEventView[];
  @ValidateNested({ each: true }) @Type(() => CockpitEventView) @Describe('The next 10 upcoming or due from now') nextUp!: CockpitEventView[];
}

export class CockpitTypesView {
  @ValidateNested() @Type(() => CockpitTypeView) service!: CockpitTypeView;
  @ValidateNested() @Type(() => CockpitTypeView) spare_part!: CockpitTypeView;
  @ValidateNested() @Type(() => CockpitTypeView) billing!: CockpitTypeView;
}

export class CockpitVisitLocationView {
  @Nullable() @IsString() address!: string | null;
  @Nullable() @IsNumber() lat!: number | null;
  @Nullable() @IsNumber() lng!: number | null;
  @Nullable() @IsISO8601() @Describe('When the location was confirmed (LOCATION_CONFIRMED); null until then') confirmedAt!: string | null;
}

/** A visit as the events service knows it from the tickets service's events (its read model). */
export class CockpitAppointmentView {
  @IsUUID() id!: string;
  @IsUUID() contractId!: string;
  @Nullable() @IsUUID() ticketId!: string | null;
  @IsArray() @IsUUID('all', { each: true }) eventIds!: string[];
  @IsISO8601() startsAt!: string;
  @IsISO8601() endsAt!: string;
  @IsString() timezone!: string;
  @IsString() status!: string;
  @Nullable() @ValidateNested() @Type(() => CockpitVisitLocationView) location!: CockpitVisitLocationView | null;
  @IsArray() @IsUUID('all', { each: true }) assigneeIds!: string[];
}

export class CockpitView {
  @IsISO8601() generatedAt!: string;
  @Nullable() @IsISO8601() from!: string | null;
  @Nullable() @IsISO8601() to!: string | null;
  @ValidateNested() @Type(() => CockpitTypesView) types!: CockpitTypesView;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CockpitAppointmentView)
  @Describe('The tenant’s next open visits (at most 10, soonest first, not yet ended), whatever from and to say')
  appointments!: CockpitAppointmentView[];
}
