import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';

/** The three kinds of contract events (plan, decision 1). */
export const CONTRACT_EVENT_TYPES = ['service', 'spare_part', 'billing'] as const;
export type ContractEventType = (typeof CONTRACT_EVENT_TYPES)[number];

/** Roles of people on an event (plan, cycle 2). */
export const ASSIGNEE_ROLES = ['assignee', 'account_manager', 'observer'] as const;
export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number];

/** Money travels as a decimal string so no float ever rounds it. */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,4})?$/;

export class CustomerRef {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  phone?: string;
}

export class ContractRef {
  @IsUUID()
  id!: string;

  @IsString()
  contractNumber!: string;

  @IsString()
  title!: string;
}

export class AssigneeRef {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsIn(ASSIGNEE_ROLES)
  role!: string;
}

export class ChangeRequest {
  @IsString()
  @IsNotEmpty()
  field!: string;

  @IsString()
  @IsNotEmpty()
  reason!: string;

  @IsOptional()
  @IsString()
  suggestedValue?: string;
}

// ---- bookings (seed booking-events-schema.md §1; bookingId is the contract id) ----

abstract class BookingPayload extends DomainEventPayload {
  @IsUUID()
  bookingId!: string;

  /** The customer's id when the customer is a known contact. */
  @IsOptional()
  @IsUUID()
  clientId?: string;
}

export class BookingCreatedPayload extends BookingPayload {
  @IsString()
  contractNumber!: string;

  @IsString()
  title!: string;

  @IsString()
  status!: string;

  @IsString()
  createdBy!: string;
}

export class BookingSubmittedPayload extends BookingPayload {
  @IsString()
  title!: string;

  @IsString()
  submittedBy!: string;

  @IsISO8601({ strict: true })
  submittedAt!: string;

  /** Dates of the events the booking would create (capped in size by the contract's event limit). */
  @IsArray()
  @IsISO8601({ strict: true }, { each: true })
  eventDates!: string[];

  @IsBoolean()
  isResubmission!: boolean;
}

export class BookingApprovedPayload extends BookingPayload {
  @IsString()
  title!: string;

  @IsString()
  approvedBy!: string;

  @IsISO8601({ strict: true })
  approvedAt!: string;

  @IsOptional()
  @IsString()
  notes?: string;

  @IsArray()
  @IsISO8601({ strict: true }, { each: true })
  eventDates!: string[];
}

export class BookingRejectedPayload extends BookingPayload {
  @IsString()
  rejectedBy!: string;

  @IsISO8601({ strict: true })
  rejectedAt!: string;

  @IsString()
  reason!: string;

  @IsBoolean()
  allowResubmission!: boolean;
}

export class BookingChangesRequestedPayload extends BookingPayload {
  @IsString()
  requestedBy!: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ChangeRequest)
  changes!: ChangeRequest[];
}

export class BookingUpdatedPayload extends BookingPayload {
  @IsString()
  updatedBy!: string;

  @IsISO8601({ strict: true })
  updatedAt!: string;

  @IsArray()
  @IsString({ each: true })
  changedFields!: string[];

  @IsBoolean()
  needsReapproval!: boolean;
}

export class BookingCancelledPayload extends BookingPayload {
  @IsString()
  cancelledBy!: string;

  @IsISO8601({ strict: true })
  cancelledAt!: string;

  @IsString()
  reason!: string;

  @IsArray()
  @IsUUID('all', { each: true })
  affectedEventIds!: string[];
}

// ---- contracts and their events ----

export class ContractActivatedPayload extends DomainEventPayload {
  @IsUUID()
  contractId!: string;

  @IsString()
  contractNumber!: string;

  @IsString()
  title!: string;

  @ValidateNested()
  @Type(() => CustomerRef)
  customer!: CustomerRef;

  @IsISO8601({ strict: true })
  startDate!: string;

  @IsISO8601({ strict: true })
  endDate!: string;

  @IsString()
  timezone!: string;

  @IsInt()
  @Min(0)
  totalEvents!: number;

  @IsISO8601({ strict: true })
  activatedAt!: string;

  @IsOptional()
  @IsUUID()
  accountManagerId?: string;
}

export class EventInstancesGeneratedPayload extends DomainEventPayload {
  @IsUUID()
  bookingId!: string;

  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  clientId?: string;

  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @IsString()
  generatedBy!: string;

  @IsISO8601({ strict: true })
  generatedAt!: string;

  @IsInt()
  @Min(0)
  totalEvents!: number;
}

/** A contract event as it was created: CONTRACT_EVENT_CREATED's payload, and each item of CONTRACT_EVENTS_CREATED. */
export class CreatedContractEvent {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  /** Internal TaskID (`TSK-00001`), for tracing. */
  @IsString()
  taskId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsString()
  title!: string;

  @IsString()
  status!: string;

  @IsISO8601({ strict: true })
  scheduledDate!: string;

  @IsISO8601({ strict: true })
  originalDate!: string;

  @IsOptional()
  @IsInt()
  sequenceNumber?: number;

  @IsOptional()
  @IsInt()
  totalOccurrences?: number;

  @IsOptional()
  @IsInt()
  promiseQty?: number;

  @IsBoolean()
  isUnlimited!: boolean;

  @IsOptional()
  @Matches(DECIMAL_PATTERN)
  amount?: string;

  @IsOptional()
  @IsString()
  currency?: string;

  /** Spare parts: the part this event delivers. */
  @IsOptional()
  @IsString()
  partId?: string;

  /** user | system | vani: who created the event (activation is system, on-demand requests are user). */
  @IsOptional()
  @IsString()
  source?: string;
}

export class ContractEventCreatedPayload extends CreatedContractEvent implements DomainEventPayload {
  @IsUUID()
  tenantId!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;
}

/** Events per CONTRACT_EVENTS_CREATED at most: an activation writes its events in chunks of this many. */
export const MAX_EVENTS_PER_ANNOUNCEMENT = 250;

export class ContractEventsCreatedPayload extends DomainEventPayload {
  @IsUUID()
  contractId!: string;

  /** In TaskID order; every item is of this contract. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENTS_PER_ANNOUNCEMENT)
  @ValidateNested({ each: true })
  @Type(() => CreatedContractEvent)
  events!: CreatedContractEvent[];
}

export class ContractEventStatusChangedPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsString()
  taskId!: string;

  @IsString()
  previousStatus!: string;

  @IsString()
  newStatus!: string;

  @IsOptional()
  @IsString()
  reason?: string;

  @IsISO8601({ strict: true })
  changedAt!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  evidenceIds?: string[];

  @IsOptional()
  @IsString()
  source?: string;
}

export class ContractEventRescheduledPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsISO8601({ strict: true })
  previousDate!: string;

  @IsISO8601({ strict: true })
  newDate!: string;

  @IsISO8601({ strict: true })
  originalDate!: string;

  @IsString()
  reason!: string;

  /** Seed names (EVENT_RESCHEDULED): whether the staff and the customer should hear of it. */
  @IsOptional()
  @IsBoolean()
  notifyStaff?: boolean;

  @IsOptional()
  @IsBoolean()
  notifyClient?: boolean;
}

export class ContractEventAssignedPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AssigneeRef)
  assignees!: AssigneeRef[];
}

/** Scheduler moves (actor System) that drive reminders in the JTD dispatcher. */
export class ContractEventTimeDrivenPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  @IsString()
  taskId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsString()
  title!: string;

  @IsISO8601({ strict: true })
  scheduledDate!: string;

  @IsOptional()
  @Matches(DECIMAL_PATTERN)
  amount?: string;

  @IsOptional()
  @IsString()
  currency?: string;

  @ValidateNested()
  @Type(() => ContractRef)
  contract!: ContractRef;

  @ValidateNested()
  @Type(() => CustomerRef)
  customer!: CustomerRef;

  @IsString()
  previousStatus!: string;

  @IsString()
  newStatus!: string;
}

export class ContractEventDuePayload extends ContractEventTimeDrivenPayload {}
export class ContractEventOverduePayload extends ContractEventTimeDrivenPayload {}

abstract class EventTaskPayload extends DomainEventPayload {
  /** The sub-task's id (not the TaskID of the event). */
  @IsUUID()
  eventTaskId!: string;

  @IsUUID()
  eventId!: string;

  @IsUUID()
  contractId!: string;

  @IsString()
  title!: string;
}

export class EventTaskCreatedPayload extends EventTaskPayload {
  @IsOptional()
  @IsISO8601({ strict: true })
  dueDate?: string;

  @IsBoolean()
  required!: boolean;

  @IsBoolean()
  isAutoTriggered!: boolean;

  @IsIn(['user', 'system', 'vani'])
  source!: string;
}

export class EventTaskCompletedPayload extends EventTaskPayload {
  @IsISO8601({ strict: true })
  completedAt!: string;
}

// ---- the event lifecycle in the seed's names (booking-events-schema §2); bookingId is the contract id ----

/** What every lifecycle event carries besides the seed's fields: the move that caused it. */
abstract class EventLifecyclePayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  bookingId!: string;

  @IsUUID()
  contractId!: string;

  @IsString()
  taskId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsString()
  previousStatus!: string;

  @IsString()
  newStatus!: string;
}

export class PreparationTaskRef {
  @IsUUID()
  id!: string;

  @IsString()
  description!: string;

  @IsOptional()
  @IsString()
  assignedTo?: string;

  /** The seed makes it required; our sub-tasks may have no due date. */
  @IsOptional()
  @IsISO8601({ strict: true })
  dueDate?: string;
}

export class EventPreparationStartedPayload extends EventLifecyclePayload {
  @IsString()
  startedBy!: string;

  @IsISO8601({ strict: true })
  startedAt!: string;

  /** The event's open sub-tasks when preparation started. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PreparationTaskRef)
  preparationTasks!: PreparationTaskRef[];
}

export class EventReadyPayload extends EventLifecyclePayload {
  @IsString()
  readyBy!: string;

  @IsISO8601({ strict: true })
  readyAt!: string;

  /** Someone is on the event as `assignee`. */
  @IsBoolean()
  staffAssigned!: boolean;

  /** A visit of the event has a confirmed location (LOCATION_CONFIRMED). */
  @IsBoolean()
  venueConfirmed!: boolean;

  /** Not tracked by the events service yet: absent. */
  @IsOptional()
  @IsBoolean()
  kitsAssigned?: boolean;

  @IsOptional()
  @IsBoolean()
  logisticsConfirmed?: boolean;
}

export class LifecycleLocationRef {
  /** The id of the visit (appointment) whose location this is: locations are not entities of their own. */
  @IsString()
  id!: string;

  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  address?: string;
}

export class EventStartedPayload extends EventLifecyclePayload {
  @IsString()
  startedBy!: string;

  @IsISO8601({ strict: true })
  startedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => LifecycleLocationRef)
  location?: LifecycleLocationRef;
}

export class EventCompletedPayload extends EventLifecyclePayload {
  @IsString()
  completedBy!: string;

  @IsISO8601({ strict: true })
  completedAt!: string;

  /** When the event entered its current in-progress status, when it came from one. */
  @IsOptional()
  @IsISO8601({ strict: true })
  actualStartTime?: string;

  @IsISO8601({ strict: true })
  actualEndTime!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  evidenceIds?: string[];
}

export class EventCancelledPayload extends EventLifecyclePayload {
  @IsString()
  cancelledBy!: string;

  @IsISO8601({ strict: true })
  cancelledAt!: string;

  @IsString()
  reason!: string;

  @IsBoolean()
  notifyClient!: boolean;
}

export class EventAssignedToManagerPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  bookingId!: string;

  @IsUUID()
  contractId!: string;

  @IsUUID()
  managerId!: string;

  @IsOptional()
  @IsString()
  managerName?: string;

  @IsString()
  assignedBy!: string;

  @IsISO8601({ strict: true })
  assignedAt!: string;

  @IsISO8601({ strict: true })
  eventDate!: string;

  /** The location of the event's next visit, when a visit with a location is booked. */
  @IsOptional()
  @ValidateNested()
  @Type(() => LifecycleLocationRef)
  location?: LifecycleLocationRef;
}

export class EventRescheduledPayload extends DomainEventPayload {
  @IsUUID()
  eventId!: string;

  @IsUUID()
  bookingId!: string;

  @IsUUID()
  contractId!: string;

  @IsIn(CONTRACT_EVENT_TYPES)
  eventType!: string;

  @IsString()
  rescheduledBy!: string;

  @IsISO8601({ strict: true })
  rescheduledAt!: string;

  @IsISO8601({ strict: true })
  originalDate!: string;

  @IsISO8601({ strict: true })
  previousDate!: string;

  @IsISO8601({ strict: true })
  newDate!: string;

  @IsString()
  reason!: string;

  @IsBoolean()
  notifyStaff!: boolean;

  @IsBoolean()
  notifyClient!: boolean;
}

const booking = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'booking', description, retention: 'booking', producers: ['events'] });
const instance = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'contract_event', description, retention: 'event_instance', producers: ['events'] });

/** Events produced by the events service: bookings and contracts, contract events, sub-tasks. */
export const EVENTS_SERVICE_EVENTS: EventDefinition[] = [
  booking('BOOKING_CREATED', BookingCreatedPayload, 'A contract or booking was drafted with its promises.'),
  booking('BOOKING_SUBMITTED', BookingSubmittedPayload, 'A booking was submitted (or resubmitted) for review.'),
  booking('BOOKING_APPROVED', BookingApprovedPayload, 'A booking was approved; its contract activates in the same step.'),
  booking('BOOKING_REJECTED', BookingRejectedPayload, 'A booking was rejected, with the reason and whether it may be resubmitted.'),
  booking('BOOKING_CHANGES_REQUESTED', BookingChangesRequestedPayload, 'A reviewer asked for changes to named fields.'),
  booking('BOOKING_UPDATED', BookingUpdatedPayload, 'A booking was edited; needsReapproval says whether review starts again.'),
  booking('BOOKING_CANCELLED', BookingCancelledPayload, 'A booking or contract was cancelled; its open events were cancelled with it.'),
  booking('CONTRACT_ACTIVATED', ContractActivatedPayload, 'A contract became active and its events were materialised.'),
  instance('EVENT_INSTANCES_GENERATED', EventInstancesGeneratedPayload, 'The events of an activated contract were generated (one message per activation).'),
  instance(
    'CONTRACT_EVENT_CREATED',
    ContractEventCreatedPayload,
    'A contract event was created on demand (those of an activation come as CONTRACT_EVENTS_CREATED).',
  ),
  instance(
    'CONTRACT_EVENTS_CREATED',
    ContractEventsCreatedPayload,
    `Events of one contract materialised at activation, up to ${MAX_EVENTS_PER_ANNOUNCEMENT} a message (an activation of 1,000 events sends four); the aggregate is the contract, each item what CONTRACT_EVENT_CREATED says of one event.`,
  ),
  instance('CONTRACT_EVENT_STATUS_CHANGED', ContractEventStatusChangedPayload, 'A contract event moved to another status of its flow.'),
  instance('CONTRACT_EVENT_RESCHEDULED', ContractEventRescheduledPayload, 'A contract event got a new date; originalDate never changes.'),
  instance('CONTRACT_EVENT_ASSIGNED', ContractEventAssignedPayload, 'The people on a contract event changed (the full new list).'),
  instance('CONTRACT_EVENT_DUE', ContractEventDuePayload, 'The scheduler moved an event into its due window (actor System); drives reminders.'),
  instance('CONTRACT_EVENT_OVERDUE', ContractEventOverduePayload, 'The scheduler found an event past its date (actor System); drives reminders.'),
  instance('EVENT_TASK_CREATED', EventTaskCreatedPayload, 'A sub-task (checklist item, billing todo) was added to an event.'),
  instance('EVENT_TASK_COMPLETED', EventTaskCompletedPayload, 'A sub-task of an event was done.'),
  instance(
    'EVENT_ASSIGNED_TO_MANAGER',
    EventAssignedToManagerPayload,
    'An account manager was added to a contract event (beside CONTRACT_EVENT_ASSIGNED), with the event date and its visit location.',
  ),
  instance(
    'EVENT_PREPARATION_STARTED',
    EventPreparationStartedPayload,
    'A contract event left its initial (or due/overdue) status for another upcoming one, e.g. scheduled → assigned; beside CONTRACT_EVENT_STATUS_CHANGED.',
  ),
  instance('EVENT_READY', EventReadyPayload, 'A contract event entered a status coded `ready`; beside CONTRACT_EVENT_STATUS_CHANGED.'),
  instance('EVENT_STARTED', EventStartedPayload, 'A contract event entered the in_progress bucket from outside it; beside CONTRACT_EVENT_STATUS_CHANGED.'),
  instance('EVENT_COMPLETED', EventCompletedPayload, 'A contract event entered the done bucket; beside CONTRACT_EVENT_STATUS_CHANGED.'),
  instance('EVENT_CANCELLED', EventCancelledPayload, 'A contract event entered the cancelled bucket; beside CONTRACT_EVENT_STATUS_CHANGED.'),
  instance(
    'EVENT_RESCHEDULED',
    EventRescheduledPayload,
    'The seed name of CONTRACT_EVENT_RESCHEDULED, emitted with it in the same transaction, with the seed fields (notifyStaff, notifyClient).',
  ),
];
