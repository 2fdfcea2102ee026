import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Describe, Nullable } from '../../validation/decorators';
import { AppointmentRef, Latitude, Longitude } from './appointments.dto';
import { LOCATION_IMPACT_LEVELS, LOCATION_ISSUE_TYPES } from './tickets.vocabulary';

export class LocationContactPersonDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

/** `POST /v1/appointments/{id}/location/confirm`: the visit's location as confirmed on site or with the customer. */
export class ConfirmLocationDto extends AppointmentRef {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  @Describe('The confirmed address; default the one the visit was booked with')
  address?: string;

  @IsOptional()
  @Latitude()
  @Describe('With lng: the confirmed coordinates (check-ins are measured from them)')
  lat?: number;

  @IsOptional()
  @Longitude()
  lng?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationContactPersonDto)
  contactPerson?: LocationContactPersonDto;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  specialInstructions?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  accessDetails?: string;
}

/** `POST /v1/appointments/{id}/location/issues` */
export class ReportLocationIssueDto extends AppointmentRef {
  @IsIn(LOCATION_ISSUE_TYPES)
  issueType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description!: string;

  @IsIn(LOCATION_IMPACT_LEVELS)
  impactLevel!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { each: true })
  @MaxLength(2000, { each: true })
  photoUrls?: string[];

  @IsOptional()
  @IsBoolean()
  @Describe('Default false')
  needsImmediate?: boolean;
}

export class LocationIssueView {
  @IsUUID() id!: string;
  @IsUUID() appointmentId!: string;
  @IsIn(LOCATION_ISSUE_TYPES) issueType!: string;
  @IsString() description!: string;
  @IsIn(LOCATION_IMPACT_LEVELS) impactLevel!: string;
  @IsArray() @IsString({ each: true }) photoUrls!: string[];
  @IsBoolean() needsImmediate!: boolean;
  @Nullable() @IsString() @Describe('CHECK_IN_OUTSIDE_RADIUS when the system reported it; null for a person’s report') reason!: string | null;
  @Nullable() @IsNumber() @Describe('Metres from the visit’s location (CHECK_IN_OUTSIDE_RADIUS)') distanceMeters!: number | null;
  @IsUUID() reportedBy!: string;
  @IsString() reportedByName!: string;
  @IsString() reportedAt!: string;
}
