import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CHECK_IN_VERIFICATION_METHODS,
  EVIDENCE_STATUSES,
  EVIDENCE_TYPE_CODE,
  ISSUE_SEVERITIES,
  LOCATION_IMPACT_LEVELS,
  LOCATION_ISSUE_TYPES,
  ISSUE_TYPES,
  NO_SHOW_CONSEQUENCES,
  NO_SHOW_PARTIES,
} from '../api/tickets/tickets.vocabulary';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';

/**
 * Degrees as a range, like the inputs (appointments.dto.ts): class-validator's IsLatitude/IsLongitude check the
 * number's text and refuse what an input accepts, e.g. 1e-7, which made the outbox refuse a valid request (500).
 */
function Latitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
    Min(-90)(target, key);
    Max(90)(target, key);
  };
}

function Longitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
    Min(-180)(target, key);
    Max(180)(target, key);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sub-shapes
// ---------------------------------------------------------------------------------------------------------

/** The customer of the contract, as the events service published it (CONTRACTS.md `customer`). */
export class TicketCustomerRef {
  @IsOptional()
  @IsString()
  id?: string;

  @IsString()
  name!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  phone?: string;
}

export class TicketAssigneeRef {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsString()
  role!: string;
}

export class EventEvidenceRef {
  @IsUUID()
  eventId!: string;

  @IsArray()
  @IsUUID('all', { each: true })
  evidenceIds!: string[];
}

/** Where a visit happens. */
export class VisitLocation {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @IsOptional()
  @Latitude()
  lat?: number;

  @IsOptional()
  @Longitude()
  lng?: number;
}

/** A GPS fix as the seed's staff events carry it. */
export class GeoFix {
  @Latitude()
  latitude!: number;

  @Longitude()
  longitude!: number;

  /** Metres; absent when the device did not report it (check-in and check-out take it as optional). */
  @IsOptional()
  @IsNumber()
  @Min(0)
  accuracy?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Service tickets
// ---------------------------------------------------------------------------------------------------------

abstract class TicketPayloadBase extends DomainEventPayload {
  @IsUUID()
  ticketId!: string;

  /** `TKT-2026-00001`: user-facing, per tenant per year. */
  @IsString()
  ticketNumber!: string;

  @IsUUID()
  contractId!: string;

  /** The contract events the ticket groups (service and spare_part only). */
  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];
}

export class ServiceTicketCreatedPayload extends TicketPayloadBase {
  @IsString()
  status!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TicketAssigneeRef)
  assignees!: TicketAssigneeRef[];

  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledFor?: string;
}

export class ServiceTicketStatusChangedPayload extends TicketPayloadBase {
  @IsString()
  previousStatus!: string;

  @IsString()
  newStatus!: string;

  @IsOptional()
  @IsString()
  reason?: string;

  @IsISO8601({ strict: true })
  changedAt!: string;
}

export class ServiceTicketCompletedPayload extends TicketPayloadBase {
  @IsISO8601({ strict: true })
  completedAt!: string;

  /** Evidence per linked event; ticket-level evidence (no event) is listed under every linked event. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EventEvidenceRef)
  evidence!: EventEvidenceRef[];

  @IsOptional()
  @ValidateNested()
  @Type(() => TicketCustomerRef)
  customer?: TicketCustomerRef;

  @IsOptional()
  @IsString()
  contractNumber?: string;

  @IsOptional()
  @IsString()
  contractTitle?: string;
}

export class ServiceTicketCancelledPayload extends TicketPayloadBase {
  @IsString()
  @IsNotEmpty()
  reason!: string;

  @IsISO8601({ strict: true })
  cancelledAt!: string;
}

// ---------------------------------------------------------------------------------------------------------
// Evidence
// ---------------------------------------------------------------------------------------------------------

export class EvidencePayload extends DomainEventPayload {
  @IsUUID()
  evidenceId!: string;

  @IsUUID()
  ticketId!: string;

  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  eventId?: string;

  /** A type of the tenant's evidence list (settings/evidence-types); the six defaults unless it changed them. */
  @Matches(EVIDENCE_TYPE_CODE)
  type!: string;

  @IsIn(EVIDENCE_STATUSES)
  status!: string;

  /** Set on EVIDENCE_REJECTED. */
  @IsOptional()
  @IsString()
  reason?: string;

  @IsOptional()
  @IsString()
  label?: string;

  /** Hex sha256 of the stored file, for file evidence. */
  @IsOptional()
  @IsString()
  sha256?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------------------------------------

abstract class AppointmentPayloadBase extends DomainEventPayload {
  @IsUUID()
  appointmentId!: string;

  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;
}

export class AppointmentCreatedPayload extends AppointmentPayloadBase {
  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @IsISO8601({ strict: true })
  startAt!: string;

  @IsISO8601({ strict: true })
  endAt!: string;

  /** IANA zone the visit is agreed in (`Asia/Kolkata`). */
  @IsString()
  timezone!: string;

  @IsArray()
  @IsUUID('all', { each: true })
  assigneeIds!: string[];

  @IsString()
  status!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => VisitLocation)
  location?: VisitLocation;

  @IsOptional()
  @ValidateNested()
  @Type(() => TicketCustomerRef)
  customer?: TicketCustomerRef;
}

export class AppointmentRescheduledPayload extends AppointmentPayloadBase {
  @IsISO8601({ strict: true })
  previousStartAt!: string;

  @IsISO8601({ strict: true })
  previousEndAt!: string;

  @IsISO8601({ strict: true })
  newStartAt!: string;

  @IsISO8601({ strict: true })
  newEndAt!: string;

  @IsString()
  timezone!: string;

  @IsString()
  reason!: string;

  @IsISO8601({ strict: true })
  rescheduledAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => TicketCustomerRef)
  customer?: TicketCustomerRef;
}

export class AppointmentConfirmedPayload extends AppointmentPayloadBase {
  @IsISO8601({ strict: true })
  startAt!: string;

  @IsISO8601({ strict: true })
  endAt!: string;

  @IsString()
  timezone!: string;

  @IsISO8601({ strict: true })
  confirmedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => TicketCustomerRef)
  customer?: TicketCustomerRef;
}

export class AppointmentCanceledPayload extends AppointmentPayloadBase {
  @IsISO8601({ strict: true })
  canceledAt!: string;

  @IsOptional()
  @IsString()
  reason?: string;
}

export class AppointmentCompletedPayload extends AppointmentPayloadBase {
  @IsISO8601({ strict: true })
  completedAt!: string;

  @IsOptional()
  @IsString()
  outcome?: string;
}

export class AppointmentNoShowPayload extends AppointmentPayloadBase {
  @IsISO8601({ strict: true })
  markedAt!: string;

  /** Who did not show up: the customer, or our agent (see STAFF_NO_SHOW for the staff consequence). */
  @IsIn(NO_SHOW_PARTIES)
  party!: string;

  @IsOptional()
  @IsString()
  notes?: string;
}

export class AppointmentAssignedPayload extends AppointmentPayloadBase {
  @IsOptional()
  @IsUUID()
  previousAssigneeId?: string;

  @IsUUID()
  newAssigneeId!: string;

  @IsIn(['user', 'team'])
  newAssigneeType!: string;

  /** Everyone assigned after the change. */
  @IsArray()
  @IsUUID('all', { each: true })
  assigneeIds!: string[];

  @IsISO8601({ strict: true })
  assignedAt!: string;
}

// ---------------------------------------------------------------------------------------------------------
// Staff assignment and field execution (seed booking-events-schema §4, workflow catalog TECHNICIAN_*)
// ---------------------------------------------------------------------------------------------------------

abstract class StaffPayloadBase extends DomainEventPayload {
  @IsUUID()
  assignmentId!: string;

  @IsUUID()
  appointmentId!: string;

  @IsUUID()
  contractId!: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;

  /** The contract events the visit executes. */
  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  /** The seed's single event: the first of `eventIds`, when the visit has events. */
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @IsUUID()
  userId!: string;
}

export class StaffAssignmentCreatedPayload extends StaffPayloadBase {
  @IsString()
  role!: string;

  @IsUUID()
  createdBy!: string;

  @IsISO8601({ strict: true })
  createdAt!: string;

  @IsISO8601({ strict: true })
  startTime!: string;

  @IsISO8601({ strict: true })
  endTime!: string;

  @IsOptional()
  @IsString()
  instructions?: string;
}

export class StaffAssignmentOfferedPayload extends StaffPayloadBase {
  @IsString()
  role!: string;

  @IsISO8601({ strict: true })
  offeredAt!: string;

  @IsUUID()
  offeredBy!: string;

  @IsISO8601({ strict: true })
  responseDeadline!: string;

  @IsISO8601({ strict: true })
  startAt!: string;

  @IsISO8601({ strict: true })
  endAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => VisitLocation)
  location?: VisitLocation;
}

export class StaffAssignmentAcceptedPayload extends StaffPayloadBase {
  @IsISO8601({ strict: true })
  acceptedAt!: string;

  @IsOptional()
  @IsString()
  notes?: string;
}

export class StaffAssignmentRejectedPayload extends StaffPayloadBase {
  @IsISO8601({ strict: true })
  rejectedAt!: string;

  @IsString()
  reason!: string;

  @IsBoolean()
  isAvailableForFuture!: boolean;
}

export class TechnicianDispatchedPayload extends StaffPayloadBase {
  @IsUUID()
  technicianUserId!: string;

  @IsOptional()
  @IsUUID()
  dispatchedByUserId?: string;

  @IsISO8601({ strict: true })
  dispatchedAt!: string;
}

export class TechnicianEnRoutePayload extends StaffPayloadBase {
  @IsUUID()
  technicianUserId!: string;

  @IsISO8601({ strict: true })
  startedAt!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  eta?: string;
}

export class StaffCheckedInPayload extends StaffPayloadBase {
  @IsISO8601({ strict: true })
  checkedInAt!: string;

  @ValidateNested()
  @Type(() => GeoFix)
  location!: GeoFix;

  @IsIn(CHECK_IN_VERIFICATION_METHODS)
  verificationMethod!: string;
}

export class StaffCheckedOutPayload extends StaffPayloadBase {
  @IsISO8601({ strict: true })
  checkedOutAt!: string;

  @IsNumber()
  @Min(0)
  hoursWorked!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => GeoFix)
  location?: GeoFix;

  @IsOptional()
  @IsString()
  feedback?: string;
}

export class StaffNoShowPayload extends StaffPayloadBase {
  @IsUUID()
  reportedBy!: string;

  @IsISO8601({ strict: true })
  reportedAt!: string;

  @IsIn(NO_SHOW_CONSEQUENCES)
  consequenceLevel!: string;

  @IsOptional()
  @IsString()
  notes?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Issue reports
// ---------------------------------------------------------------------------------------------------------

export class EventIssueReportedPayload extends DomainEventPayload {
  @IsUUID()
  issueId!: string;

  @IsUUID()
  contractId!: string;

  /** The seed's name for the contract (a booking is a contract here): the same id as `contractId`; optional for messages older than it. */
  @IsOptional()
  @IsUUID()
  bookingId?: string;

  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @IsOptional()
  @IsUUID()
  appointmentId?: string;

  /** The contract event the issue is about, when one is named. */
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @IsUUID()
  reportedBy!: string;

  @IsISO8601({ strict: true })
  reportedAt!: string;

  @IsIn(ISSUE_TYPES)
  issueType!: string;

  @IsIn(ISSUE_SEVERITIES)
  severity!: string;

  @IsString()
  description!: string;

  @IsOptional()
  @IsString()
  immediateActionTaken?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Locations (seed booking-events-schema §6): the location of a visit (appointment); locationId is its id
// ---------------------------------------------------------------------------------------------------------

export class LocationContactPerson {
  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  phone?: string;

  @IsOptional()
  @IsEmail()
  email?: string;
}

abstract class LocationPayloadBase extends DomainEventPayload {
  /** The seed's event: the first contract event of the visit, when it has one. */
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  /** Locations are not entities of their own: the id of the visit whose location it is. */
  @IsUUID()
  locationId!: string;

  @IsUUID()
  appointmentId!: string;

  @IsUUID()
  contractId!: string;
}

export class LocationConfirmedPayload extends LocationPayloadBase {
  @IsUUID()
  confirmedBy!: string;

  @IsISO8601({ strict: true })
  confirmedAt!: string;

  @IsOptional()
  @IsString()
  address?: string;

  @IsOptional()
  @Latitude()
  latitude?: number;

  @IsOptional()
  @Longitude()
  longitude?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationContactPerson)
  contactPerson?: LocationContactPerson;

  @IsOptional()
  @IsString()
  specialInstructions?: string;

  @IsOptional()
  @IsString()
  accessDetails?: string;
}

export class LocationIssueReportedPayload extends LocationPayloadBase {
  @IsUUID()
  issueId!: string;

  @IsUUID()
  reportedBy!: string;

  @IsISO8601({ strict: true })
  reportedAt!: string;

  @IsIn(LOCATION_ISSUE_TYPES)
  issueType!: string;

  @IsString()
  description!: string;

  @IsIn(LOCATION_IMPACT_LEVELS)
  impactLevel!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  photoUrls?: string[];

  @IsBoolean()
  needsImmediate!: boolean;

  /** Set when the system reported it: CHECK_IN_OUTSIDE_RADIUS. */
  @IsOptional()
  @IsString()
  reason?: string;

  /** CHECK_IN_OUTSIDE_RADIUS: how far from the visit's location the check-in was, and the tenant's radius (metres). */
  @IsOptional()
  @IsNumber()
  @Min(0)
  distanceMeters?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  radiusMeters?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------

const P = ['tickets'] as const;
const ticket = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'service_ticket', description, retention: 'default', producers: [...P] });
const appointment = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'appointment', description, retention: 'default', producers: [...P] });
const staff = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'staff_assignment', description, retention: 'staff_assignment', producers: [...P] });
const evidence = (type: string, description: string) =>
  defineEvent({ type, payload: EvidencePayload, version: 1, category: 'evidence', description, retention: 'default', producers: [...P] });

/** Events produced by the tickets service: service tickets, appointments, staff and field execution, evidence, issues. */
export const TICKETS_EVENTS: EventDefinition[] = [
  ticket('SERVICE_TICKET_CREATED', ServiceTicketCreatedPayload, 'A service ticket (TKT number) was opened for a visit grouping contract events.'),
  ticket('SERVICE_TICKET_STATUS_CHANGED', ServiceTicketStatusChangedPayload, 'A service ticket moved to another status of its flow.'),
  ticket(
    'SERVICE_TICKET_COMPLETED',
    ServiceTicketCompletedPayload,
    'A service ticket was completed; the events service completes the linked events with the evidence listed per event.',
  ),
  ticket('SERVICE_TICKET_CANCELLED', ServiceTicketCancelledPayload, 'A service ticket was cancelled; its events are left as they are.'),
  evidence('EVIDENCE_UPLOADED', 'Evidence (photo, document, signature, form, note, verified OTP) was recorded on a ticket.'),
  evidence('EVIDENCE_VERIFIED', 'A reviewer accepted a piece of evidence.'),
  evidence('EVIDENCE_REJECTED', 'A reviewer rejected a piece of evidence, with a reason.'),
  appointment('APPOINTMENT_CREATED', AppointmentCreatedPayload, 'A visit was booked for a ticket and/or contract events.'),
  appointment('APPOINTMENT_RESCHEDULED', AppointmentRescheduledPayload, 'A visit moved to another time; the previous slot is kept in its history.'),
  appointment('APPOINTMENT_CONFIRMED', AppointmentConfirmedPayload, 'The customer confirmed a visit.'),
  appointment('APPOINTMENT_CANCELED', AppointmentCanceledPayload, 'A visit was cancelled.'),
  appointment('APPOINTMENT_COMPLETED', AppointmentCompletedPayload, 'A visit was completed.'),
  appointment('APPOINTMENT_NO_SHOW', AppointmentNoShowPayload, 'A party did not show up for a visit.'),
  appointment('APPOINTMENT_ASSIGNED', AppointmentAssignedPayload, 'A technician accepted a visit and is now assigned to it.'),
  staff(
    'STAFF_ASSIGNMENT_CREATED',
    StaffAssignmentCreatedPayload,
    'A staff assignment (a technician offered a visit) was created; beside STAFF_ASSIGNMENT_OFFERED.',
  ),
  staff('STAFF_ASSIGNMENT_OFFERED', StaffAssignmentOfferedPayload, 'A visit was offered to a technician, to answer before a deadline.'),
  staff('STAFF_ASSIGNMENT_ACCEPTED', StaffAssignmentAcceptedPayload, 'A technician accepted an offered visit.'),
  staff('STAFF_ASSIGNMENT_REJECTED', StaffAssignmentRejectedPayload, 'A technician declined an offered visit.'),
  staff('TECHNICIAN_DISPATCHED', TechnicianDispatchedPayload, 'A technician was dispatched to a visit.'),
  staff('TECHNICIAN_EN_ROUTE', TechnicianEnRoutePayload, 'A technician is on the way to a visit.'),
  staff('STAFF_CHECKED_IN', StaffCheckedInPayload, 'A technician arrived and checked in on site (GPS, QR code, manager or other).'),
  staff('STAFF_CHECKED_OUT', StaffCheckedOutPayload, 'A technician checked out of a visit, with hours worked.'),
  staff('STAFF_NO_SHOW', StaffNoShowPayload, 'A technician did not show up for an accepted visit; a consequence level is recorded.'),
  defineEvent({
    type: 'EVENT_ISSUE_REPORTED',
    payload: EventIssueReportedPayload,
    version: 1,
    category: 'issue',
    description: 'An issue (venue, staff, kit, logistics, client, other) was reported on a ticket or visit.',
    retention: 'event_instance',
    producers: ['tickets'],
  }),
  defineEvent({
    type: 'LOCATION_CONFIRMED',
    payload: LocationConfirmedPayload,
    version: 1,
    category: 'location',
    description: 'The location of a visit was confirmed (who, when, address, coordinates, contact).',
    retention: 'event_instance',
    producers: ['tickets'],
  }),
  defineEvent({
    type: 'LOCATION_ISSUE_REPORTED',
    payload: LocationIssueReportedPayload,
    version: 1,
    category: 'location',
    description: 'An issue with the location of a visit was reported, by a person or by the system (reason CHECK_IN_OUTSIDE_RADIUS).',
    retention: 'event_instance',
    producers: ['tickets'],
  }),
];
