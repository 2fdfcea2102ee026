import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsString, IsTimeZone, IsUUID, ValidateNested } from 'class-validator';
import { Describe, Nullable, Timestamp } from '../../validation/decorators';
import { ActorView } from '../platform/messaging.dto';
import { ASSIGNMENT_STATUSES, CHECK_IN_VERIFICATION_METHODS, NO_SHOW_CONSEQUENCES, TICKET_ASSIGNEE_ROLES } from './tickets.vocabulary';

export class LocationContactView {
  @IsString()
  name!: string;

  @Nullable()
  @IsString()
  phone!: string | null;

  @Nullable()
  @IsString()
  email!: string | null;
}

export class AppointmentLocationView {
  @Nullable()
  @IsString()
  address!: string | null;

  @Nullable()
  @IsNumber()
  lat!: number | null;

  @Nullable()
  @IsNumber()
  lng!: number | null;

  @Nullable()
  @IsISO8601()
  @Describe('When the location was confirmed (POST /appointments/{id}/location/confirm); null until then')
  confirmedAt!: string | null;

  @Nullable()
  @IsUUID()
  confirmedBy!: string | null;

  @Nullable()
  @ValidateNested()
  @Type(() => LocationContactView)
  contactPerson!: LocationContactView | null;

  @Nullable()
  @IsString()
  specialInstructions!: string | null;

  @Nullable()
  @IsString()
  accessDetails!: string | null;
}

/** Where a technician was at check-in or check-out, and how that was established. */
export class AppointmentSiteFixView {
  @IsNumber()
  lat!: number;

  @IsNumber()
  lng!: number;

  @Nullable()
  @IsNumber()
  @Describe('Metres; null when the fix did not report it')
  accuracy!: number | null;

  @Nullable()
  @IsIn(CHECK_IN_VERIFICATION_METHODS)
  @Describe('null only on check-outs recorded before check-out took it')
  verificationMethod!: string | null;

  @Nullable()
  @IsNumber()
  @Describe('Check-in: metres from the visit’s location; null when the visit has no coordinates (and on check-out)')
  distanceMeters!: number | null;

  @Nullable()
  @IsBoolean()
  @Describe('Check-in: farther than the tenant’s radius (GET /settings/check-in); the check-in was accepted and a location issue reported')
  outsideRadius!: boolean | null;
}

/** One technician's offer on a visit, and what they did with it in the field. */
export class AppointmentAssignmentView {
  @IsUUID()
  id!: string;

  @IsUUID()
  userId!: string;

  @Nullable()
  @IsString()
  name!: string | null;

  @IsIn(TICKET_ASSIGNEE_ROLES)
  role!: string;

  @IsIn(ASSIGNMENT_STATUSES)
  @Describe('offered → accepted → dispatched → en_route → checked_in → checked_out; or declined, expired, no_show, withdrawn')
  status!: string;

  @Timestamp()
  offeredAt!: string;

  @IsUUID()
  offeredBy!: string;

  @Timestamp()
  @Describe('An offer not answered by then expires and frees the technician’s time')
  responseDeadline!: string;

  @Nullable()
  @Timestamp()
  respondedAt!: string | null;

  @Nullable()
  @IsString()
  declineReason!: string | null;

  @Nullable()
  @IsBoolean()
  isAvailableForFuture!: boolean | null;

  @Nullable()
  @Timestamp()
  dispatchedAt!: string | null;

  @Nullable()
  @Timestamp()
  enRouteAt!: string | null;

  @Nullable()
  @Timestamp()
  eta!: string | null;

  @Nullable()
  @Timestamp()
  checkedInAt!: string | null;

  @Nullable()
  @ValidateNested()
  @Type(() => AppointmentSiteFixView)
  checkIn!: AppointmentSiteFixView | null;

  @Nullable()
  @Timestamp()
  checkedOutAt!: string | null;

  @Nullable()
  @ValidateNested()
  @Type(() => AppointmentSiteFixView)
  checkOut!: AppointmentSiteFixView | null;

  @Nullable()
  @IsNumber()
  hoursWorked!: number | null;

  @Nullable()
  @Timestamp()
  noShowAt!: string | null;

  @Nullable()
  @IsIn(NO_SHOW_CONSEQUENCES)
  consequenceLevel!: string | null;

  @IsInt()
  version!: number;
}

/** A visit on the calendar. */
export class AppointmentView {
  @IsUUID()
  id!: string;

  @IsUUID()
  contractId!: string;

  @Nullable()
  @IsUUID()
  ticketId!: string | null;

  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @Timestamp()
  startsAt!: string;

  @Timestamp()
  endsAt!: string;

  @IsTimeZone()
  timezone!: string;

  @Nullable()
  @ValidateNested()
  @Type(() => AppointmentLocationView)
  location!: AppointmentLocationView | null;

  @IsString()
  @Describe('A status of the tenant’s appointment flow', 'scheduled')
  status!: string;

  @Nullable()
  @IsString()
  notes!: string | null;

  @ValidateNested({ each: true })
  @Type(() => AppointmentAssignmentView)
  assignments!: AppointmentAssignmentView[];

  @IsInt()
  version!: number;

  @Timestamp()
  createdAt!: string;

  @Timestamp()
  updatedAt!: string;
}

/** A slot a visit was moved away from. */
export class AppointmentRescheduleView {
  @Timestamp()
  previousStartsAt!: string;

  @Timestamp()
  previousEndsAt!: string;

  @Timestamp()
  newStartsAt!: string;

  @Timestamp()
  newEndsAt!: string;

  @IsString()
  reason!: string;

  @ValidateNested()
  @Type(() => ActorView)
  actor!: ActorView;

  @Timestamp()
  at!: string;
}

/** `GET /v1/appointments/{id}` and the answer to a reschedule: the visit with its reschedule history. */
export class AppointmentDetailView extends AppointmentView {
  @ValidateNested({ each: true })
  @Type(() => AppointmentRescheduleView)
  @Describe('Oldest first')
  reschedules!: AppointmentRescheduleView[];
}
