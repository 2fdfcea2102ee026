import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PageQuery } from '../../contract/page';
import { UPLOAD_KEY_PATTERN } from '../../storage/file-store';
import { Describe, INT4_MAX, Nullable, Timestamp } from '../../validation/decorators';
import { TicketPersonView } from './common.views';
import { TicketRef } from './tickets.dto';
import { EVIDENCE_REVIEW_STATUSES, EVIDENCE_STATUSES, EVIDENCE_TYPE_CODE, OTP_CHANNELS } from './tickets.vocabulary';

/** Content types accepted per file evidence type (the tickets service's rule); anything else is 415. */
export const EVIDENCE_CONTENT_TYPES: Record<string, readonly string[]> = {
  photo: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'],
  signature: ['image/png', 'image/jpeg', 'image/webp'],
  document: ['application/pdf', 'image/jpeg', 'image/png', 'text/plain'],
};

const SHA256 = /^[a-f0-9]{64}$/;

/**
 * A file as the gateway forwards it from a multipart part: not its bytes, which the gateway wrote to the
 * shared file store as they streamed in (libs/shared/src/storage/file-store.ts), but where they are and
 * what the gateway measured, which the service checks again against the stored object.
 */
export class EvidenceFileDto {
  @Matches(UPLOAD_KEY_PATTERN, { message: 'storageKey must be the key of an upload' })
  @MaxLength(100)
  storageKey!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  fileName!: string;

  @IsString()
  @MaxLength(255)
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'contentType must be a media type' })
  contentType!: string;

  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  size!: number;

  @Matches(SHA256, { message: 'sha256 must be 64 lower-case hex characters' })
  @MaxLength(64)
  sha256!: string;
}

export class EvidenceOtpRequestDto {
  @IsIn(OTP_CHANNELS)
  channel!: string;

  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be E.164, e.g. +919812345678' })
  @MaxLength(16)
  @Describe('Where to send the code; default the contract customer’s phone', '+919812345678')
  phone?: string;
}

/** `POST /v1/tickets/{id}/evidence`: JSON, or multipart with the same fields and the file in `file`. */
export class RecordEvidenceDto extends TicketRef {
  @Matches(EVIDENCE_TYPE_CODE, { message: 'type must be an evidence type code such as photo' })
  @MaxLength(50)
  @Describe(
    'A type of the tenant’s list (GET /settings/evidence-types; 422 naming the allowed ones otherwise). photo, document and signature take a file; ' +
      'note takes `note`; form_data takes `formData`; otp takes `otp`; a tenant’s own type takes a file when it says so, else `note` and/or `formData`',
  )
  type!: string;

  @IsOptional()
  @IsUUID()
  @Describe('The event of the ticket it is about; without it, it counts for every event of the ticket')
  eventId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @IsObject()
  @Describe('For form_data evidence: the answers of the form')
  formData?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  @Describe('For note evidence')
  note?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceOtpRequestDto)
  @Describe('For otp evidence: how to reach the customer')
  otp?: EvidenceOtpRequestDto;

  // Over HTTP the file is a multipart part; the gateway hands it to the service as an EvidenceFileDto. The
  // document shows the part, so the RPC shape does not appear in it as a schema nobody sends.
  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceFileDto)
  @JSONSchema(() => ({ type: 'string', format: 'binary' }))
  file?: EvidenceFileDto;
}

/** `GET /v1/tickets/{id}/evidence`: oldest first. */
export class ListEvidenceQuery extends PageQuery {
  @IsUUID()
  @Describe('The ticket')
  id!: string;
}

/** `{id}/evidence/{evidenceId}` */
export class EvidenceRef extends TicketRef {
  @IsUUID()
  @Describe('The evidence')
  evidenceId!: string;
}

/** `PATCH /v1/tickets/{id}/evidence/{evidenceId}` */
export class ReviewEvidenceDto extends EvidenceRef {
  @IsIn(EVIDENCE_REVIEW_STATUSES)
  status!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @Describe('Required to reject')
  reason?: string;
}

/** `POST /v1/tickets/{id}/evidence/{evidenceId}/verify-otp` */
export class VerifyOtpDto extends EvidenceRef {
  @Matches(/^\d{4,8}$/, { message: 'code must be 4 to 8 digits' })
  @MaxLength(8)
  @Describe('The code the customer received', '482913')
  code!: string;
}

export class EvidenceFileView {
  @IsString()
  fileName!: string;

  @IsInt()
  @Describe('Bytes')
  size!: number;

  @IsString()
  contentType!: string;

  @Matches(SHA256)
  sha256!: string;
}

/** Where the code went and how the verification stands; never the code. */
export class EvidenceOtpView {
  @IsIn(OTP_CHANNELS)
  channel!: string;

  @Nullable()
  @IsString()
  @Describe('The phone, masked but for its last four digits', '********5678')
  sentTo!: string | null;

  @Nullable()
  @Timestamp()
  expiresAt!: string | null;

  @IsInt()
  @Describe('Wrong codes so far')
  attempts!: number;

  @IsBoolean()
  @Describe('Too many wrong codes: this OTP can no longer be verified; record a new one')
  locked!: boolean;

  @Nullable()
  @Timestamp()
  verifiedAt!: string | null;
}

export class EvidenceView {
  @IsUUID()
  id!: string;

  @IsUUID()
  ticketId!: string;

  @Nullable()
  @IsUUID()
  eventId!: string | null;

  @Matches(EVIDENCE_TYPE_CODE)
  type!: string;

  @IsIn(EVIDENCE_STATUSES)
  @Describe('otp evidence is pending until its code is verified; the rest is uploaded until reviewed')
  status!: string;

  @Nullable()
  @IsString()
  label!: string | null;

  @Nullable()
  @IsString()
  description!: string | null;

  @Nullable()
  @ValidateNested()
  @Type(() => EvidenceFileView)
  @Describe('photo, document and signature: the stored file (download it from /file)')
  file!: EvidenceFileView | null;

  @Nullable()
  @IsObject()
  formData!: Record<string, unknown> | null;

  @Nullable()
  @IsString()
  note!: string | null;

  @Nullable()
  @ValidateNested()
  @Type(() => EvidenceOtpView)
  otp!: EvidenceOtpView | null;

  @Nullable()
  @IsString()
  rejectionReason!: string | null;

  @ValidateNested()
  @Type(() => TicketPersonView)
  uploadedBy!: TicketPersonView;

  @Nullable()
  @ValidateNested()
  @Type(() => TicketPersonView)
  reviewedBy!: TicketPersonView | null;

  @Nullable()
  @Timestamp()
  reviewedAt!: string | null;

  @IsInt()
  version!: number;

  @Timestamp()
  createdAt!: string;

  @Timestamp()
  updatedAt!: string;
}

/**
 * Where the bytes of file evidence are, as the service hands them to the gateway, which streams them from
 * the shared file store as the answer's body (the document shows the bytes, not this).
 */
export class EvidenceFileRefView {
  @IsString()
  storageKey!: string;

  @IsString()
  fileName!: string;

  @IsString()
  contentType!: string;

  @IsInt()
  size!: number;

  @Matches(SHA256)
  sha256!: string;
}
