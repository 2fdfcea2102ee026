import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Describe } from '../../validation/decorators';
import { EVIDENCE_TYPE_CODE } from './tickets.vocabulary';

export class EvidenceTypeDto {
  @Matches(EVIDENCE_TYPE_CODE, { message: '$property must be a lower_snake code such as meter_reading' })
  @MaxLength(50)
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label!: string;

  @IsOptional()
  @IsBoolean()
  @Describe('Whether it is recorded with a file (multipart); fixed for the built-in types. Default false')
  takesFile?: boolean;

  @IsOptional()
  @IsBoolean()
  @Describe('A disabled type takes no new evidence; recorded evidence keeps it. Default true')
  enabled?: boolean;
}

/** `PUT /v1/settings/evidence-types`: the tenant's whole list. */
export class ReplaceEvidenceTypesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceTypeDto)
  types!: EvidenceTypeDto[];
}

export class EvidenceTypeView {
  @IsString() code!: string;
  @IsString() label!: string;
  @IsBoolean() takesFile!: boolean;
  @IsBoolean() enabled!: boolean;
  @IsBoolean() @Describe('One of the six system types (photo, document, signature, form_data, note, otp)') isBuiltIn!: boolean;
}

export class EvidenceTypesView {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EvidenceTypeView)
  types!: EvidenceTypeView[];

  @IsBoolean() @Describe('false: the system defaults') isTenantOverride!: boolean;
}

/** `PUT /v1/settings/check-in` */
export class ReplaceCheckInSettingsDto {
  @IsInt()
  @Min(10)
  @Max(100000)
  @Describe('Metres: a check-in farther than this from the visit’s location is flagged', 500)
  radiusMeters!: number;
}

export class CheckInSettingsView {
  @IsInt() radiusMeters!: number;
  @IsBoolean() @Describe('false: the system default (500 m)') isTenantOverride!: boolean;
}
