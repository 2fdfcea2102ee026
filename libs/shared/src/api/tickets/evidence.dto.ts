import { Type } from 'class-transformer';
import {
  IsBase64,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVIDENCE_REVIEW_STATUSES, EVIDENCE_TYPES, OTP_CHANNELS } from './tickets.vocabulary';
import { TicketIdDto } from './tickets.dto';

/** Largest file the gateway accepts and forwards (bytes); the service checks it again. */
export const EVIDENCE_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Content types accepted per file evidence type; anything else is 415. */
export const EVIDENCE_CONTENT_TYPES: Record<string, readonly string[]> = {
  photo: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'],
  signature: ['image/png', 'image/jpeg', 'image/webp'],
  document: ['application/pdf', 'image/jpeg', 'image/png', 'text/plain'],
};

/**
 * A file as the gateway forwards it over RPC: base64 bytes plus what it measured. Up to
 * EVIDENCE_MAX_FILE_BYTES this keeps one request = one message; a larger limit would need a staging store.
 */
export class EvidenceFileDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  fileName!: string;

  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a media type' })
  contentType!: string;

  @IsInt()
  @Min(1)
  size!: number;

  @Matches(/^[a-f0-9]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256!: string;

  @IsBase64()
  contentBase64!: string;
}

export class OtpRequestDto {
  @IsIn(OTP_CHANNELS)
  channel!: string;

  /** Defaults to the contract customer's phone. */
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be E.164, e.g. +919812345678' })
  phone?: string;
}

/** Fields of an evidence record, whether they come as JSON or as multipart fields. */
export class EvidenceFieldsDto extends TicketIdDto {
  @IsIn(EVIDENCE_TYPES)
  type!: string;

  @IsOptional()
  @IsUUID()
  eventId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** For form_data evidence. */
  @IsOptional()
  @IsObject()
  formData?: Record<string, unknown>;

  /** For note evidence. */
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  note?: string;

  /** For otp evidence: where to send the code. */
  @IsOptional()
  @ValidateNested()
  @Type(() => OtpRequestDto)
  otp?: OtpRequestDto;
}

/** What the service receives (RPC): the fields plus the file, if any. */
export class RecordEvidenceDto extends EvidenceFieldsDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceFileDto)
  file?: EvidenceFileDto;
}

export class EvidenceRefDto extends TicketIdDto {
  @IsUUID()
  evidenceId!: string;
}

export class ReviewEvidenceDto extends EvidenceRefDto {
  @IsIn(EVIDENCE_REVIEW_STATUSES)
  status!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}

export class VerifyOtpDto extends EvidenceRefDto {
  @Matches(/^\d{4,8}$/, { message: 'code must be 4 to 8 digits' })
  code!: string;
}
