import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { JTD_CHANNELS, JTD_EVENT_TYPES, JtdRecipient } from '../../catalog/jtd.catalog';
import { PageQuery } from '../../contract/page';
import { Describe, Nullable, Timestamp } from '../../validation/decorators';

/** Status codes are lower_snake words of the job's flow (`cancelled`, `in_progress`). */
const STATUS_CODE = /^[a-z][a-z_]{0,29}$/;
const SOURCE_TYPE = /^[a-z0-9_]{1,50}$/;

/** `POST /v1/jtd`. */
export class CreateJobsDto {
  @IsOptional()
  @IsIn(JTD_EVENT_TYPES)
  @Describe('What kind of job; absent → the source type’s default event type')
  eventType?: string;

  @Matches(SOURCE_TYPE, { message: 'sourceType must be a source type code such as service_reminder' })
  @MaxLength(50)
  @Describe('Why the job exists (a source type of the master data); picks the default channels and template', 'service_reminder')
  sourceType!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe(
    'The caller’s reference of what the job is about (contract, event, ticket…); with the source type it makes creation ' +
      'idempotent within the tenant. An external reference: the dispatcher keeps no copy of those entities and does not check it',
  )
  sourceId?: string;

  @IsOptional()
  @IsIn(JTD_CHANNELS)
  @Describe('One channel; give `channel` or `channels`, not both. Neither → the source type’s channels the tenant enabled')
  channel?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(JTD_CHANNELS.length)
  @ArrayUnique()
  @IsIn(JTD_CHANNELS, { each: true })
  @Describe('Several channels: one job per channel that can be used')
  channels?: string[];

  @IsDefined()
  @ValidateNested()
  @Type(() => JtdRecipient)
  @Describe(
    'Who receives it; each channel checks the contact it needs (email, E.164 phone, device token, user id for in-app). `id` ' +
      'is the identity provider’s user id (an external reference, not checked); an in-app message reaches that user in this tenant only',
  )
  recipient!: JtdRecipient;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe('A template key; absent → the template of the source type for each channel')
  templateKey?: string;

  @IsObject()
  @Describe('Values for the template’s `{{placeholders}}`; a required one missing fails the job naming it', { customer_name: 'Ravi' })
  variables!: Record<string, unknown>;

  @IsOptional()
  @Timestamp()
  @Describe('Send no earlier than this; in the past or absent → as soon as the gates allow')
  scheduledAt?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  @Describe('1–10, higher first; absent → the source override or the event type’s default')
  priority?: number;

  @IsOptional()
  @IsBoolean()
  @Describe('false → test mode for this job (nothing leaves, the sandbox keeps it); absent → the tenant’s setting')
  isLive?: boolean;
}

/** `GET /v1/jtd`. */
export class ListJobsQuery extends PageQuery {
  @IsOptional() @Matches(STATUS_CODE, { message: 'status must be a status code such as sent' }) @MaxLength(30) status?: string;
  @IsOptional() @IsIn(JTD_CHANNELS) channel?: string;
  @IsOptional() @IsIn(JTD_EVENT_TYPES) eventType?: string;
  @IsOptional() @Matches(SOURCE_TYPE, { message: 'sourceType must be a source type code' }) @MaxLength(50) sourceType?: string;
  @IsOptional() @IsString() @MaxLength(100) sourceId?: string;
}

/** A job named by its id in the path. */
export class JobRef {
  @IsUUID()
  @Describe('The job')
  id!: string;
}

/** `GET /v1/jtd/{id}/history`. */
export class ListJobHistoryQuery extends PageQuery {
  @IsUUID()
  @Describe('The job')
  id!: string;
}

/** `POST /v1/jtd/{id}/transitions`. */
export class TransitionJobDto extends JobRef {
  @Matches(STATUS_CODE, { message: 'toStatus must be a status code such as cancelled' })
  @MaxLength(30)
  @Describe('A status of the job’s flow; a move the flow does not define is made and flagged', 'delivered')
  toStatus!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Describe('Why; kept as the note of the history row')
  reason?: string;
}

/** `POST /v1/jtd/{id}/cancel`. */
export class CancelJobDto extends JobRef {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Describe('Why; kept as the note of the history row')
  reason?: string;
}

/** `GET /v1/jtd/sandbox`. */
export class ListSandboxMessagesQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  @Describe('Only what this job would have sent')
  jtdId?: string;
}

export class JobRecipientView {
  @IsString() type!: string;
  @Nullable() @IsUUID() id!: string | null;
  @IsString() name!: string;
  @Nullable() @IsString() @Describe('The address used on the job’s channel (email, phone, user id, device token)') contact!: string | null;
}

export class JobPerformerView {
  @IsIn(['user', 'vani', 'system', 'webhook']) type!: string;
  @Nullable() @IsUUID() id!: string | null;
  @Nullable() @IsString() name!: string | null;
}

export class JobView {
  @IsUUID() id!: string;
  @IsIn(JTD_EVENT_TYPES) eventType!: string;
  @IsIn(JTD_CHANNELS) channel!: string;
  @IsString() sourceType!: string;
  @Nullable() @IsString() sourceId!: string | null;
  @ValidateNested() @Type(() => JobRecipientView) recipient!: JobRecipientView;
  @Nullable() @IsString() templateKey!: string | null;
  @IsString() status!: string;
  @Nullable() @IsString() previousStatus!: string | null;
  @IsISO8601() statusChangedAt!: string;
  @IsBoolean() @Describe('false when the last move was not one the job’s flow defines (made anyway, flagged)') isValidTransition!: boolean;
  @IsInt() priority!: number;
  @Nullable() @IsISO8601() scheduledAt!: string | null;
  @Nullable() @IsISO8601() @Describe('When the dispatcher picks it up next; null when nothing is planned') nextAttemptAt!: string | null;
  @IsInt() attempts!: number;
  @IsInt() maxRetries!: number;
  @Nullable() @IsString() providerMessageId!: string | null;
  @Nullable() @IsString() lastError!: string | null;
  @Nullable()
  @IsString()
  @Describe(
    'Why it failed: INVALID_RECIPIENT, MISSING_VARIABLE, UNREADABLE_SECRET, NO_TEMPLATE, PROVIDER_PROFILE_NOT_ALLOWED, UNKNOWN_OUTCOME, NDNC, a provider code (MSG91_…)…',
  )
  errorCode!: string | null;
  @IsString() @Describe('Decimal string, the channel’s cost per message') cost!: string;
  @ValidateNested() @Type(() => JobPerformerView) performedBy!: JobPerformerView;
  @IsBoolean() @Describe('false: test mode, nothing was sent to a provider') isLive!: boolean;
  @IsInt() version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class SkippedChannelView {
  @IsString() @Describe('The channel, or `*` when the whole source is disabled') channel!: string;
  @IsString() reason!: string;
}

export class CreatedJobsView {
  @ValidateNested({ each: true }) @Type(() => JobView) @Describe('One job per channel that could be used') items!: JobView[];
  @ValidateNested({ each: true }) @Type(() => SkippedChannelView) @Describe('The channels left out, and why') skipped!: SkippedChannelView[];
}

export class JobAttemptView {
  @IsInt() attemptNo!: number;
  @Nullable() @IsString() @Describe('The channel the job was on (a job may continue on its tenant’s fallback channel)', 'sms') channel!: string | null;
  @IsString() @Describe('The provider of the channel (its id in JTD_CHANNEL_PROVIDERS), `internal` for in-app, `sandbox` in test mode') provider!: string;
  @IsIn(['sent', 'retryable', 'permanent', 'skipped'])
  @Describe(
    'retryable: tried again later (up to the event type’s retries), on the next provider first; permanent: failed for good on this ' +
      'channel; skipped: the provider was not called (providerCode CIRCUIT_OPEN: its circuit breaker is open; THROTTLED: its Retry-After is not over)',
  )
  outcome!: string;
  @Nullable() @IsInt() httpStatus!: number | null;
  @Nullable() @IsString() providerCode!: string | null;
  @Nullable() @IsString() providerMessageId!: string | null;
  @Nullable() @IsString() error!: string | null;
  @Nullable() @IsInt() retryAfterMs!: number | null;
  @Nullable() @IsInt() latencyMs!: number | null;
  @IsISO8601() at!: string;
}

export class JobDetailView extends JobView {
  @ValidateNested({ each: true }) @Type(() => JobAttemptView) @Describe('Every call to a provider, oldest first') attemptLog!: JobAttemptView[];
}

export class JobHistoryEntryView {
  @Nullable() @IsString() @Describe('null on the first row (the job was created)') from!: string | null;
  @IsString() to!: string;
  @IsISO8601() at!: string;
  @Nullable() @IsInt() @Describe('Time spent in `from`') durationSeconds!: number | null;
  @IsBoolean() isValidTransition!: boolean;
  @ValidateNested() @Type(() => JobPerformerView) performedBy!: JobPerformerView;
  @Nullable() @IsString() note!: string | null;
  @IsObject() details!: Record<string, unknown>;
}

export class SandboxMessageView {
  @IsUUID() id!: string;
  @IsUUID() jtdId!: string;
  @IsIn(JTD_CHANNELS) channel!: string;
  @IsString() provider!: string;
  @IsObject() @Describe('The HTTP request the provider would have received, secrets masked') request!: Record<string, unknown>;
  @IsISO8601() createdAt!: string;
}
