import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';

/** Channels the dispatcher delivers on (seed-systems §1.2). */
export const JTD_CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'inapp'] as const;
export type JtdChannel = (typeof JTD_CHANNELS)[number];

/** Event types of the seed (seed-systems §1.2). */
export const JTD_EVENT_TYPES = ['notification', 'reminder', 'appointment', 'service_visit', 'task', 'payment', 'document'] as const;
export type JtdEventType = (typeof JTD_EVENT_TYPES)[number];

export class JtdRecipient {
  /** user, contact, customer, technician … (free text, the seed does not restrict it) */
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  type!: string;

  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @MaxLength(255)
  name!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  /** E.164 (`+919812345678`); checked per channel by the dispatcher so a bad number fails one job, not the request. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  // The first token becomes the push job's contact, a varchar(255) column.
  @MaxLength(255, { each: true })
  deviceTokens?: string[];
}

export class JtdRequestedPayload extends DomainEventPayload {
  /** Stable per logical request: the dispatcher creates the jobs of one requestId once. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requestId!: string;

  @IsIn(JTD_EVENT_TYPES)
  eventType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  sourceType!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceId?: string;

  /** Omitted → the source type's channels filtered by what the tenant enabled. */
  @IsOptional()
  @IsArray()
  @IsIn(JTD_CHANNELS, { each: true })
  channels?: string[];

  @ValidateNested()
  @Type(() => JtdRecipient)
  recipient!: JtdRecipient;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  templateKey?: string;

  /** Template values by name; `otp` travels sealed (`{ "$sealed": "v1.…" }`), see the entry's sensitive fields. */
  @IsObject()
  variables!: Record<string, unknown>;

  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledAt?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  priority?: number;

  /** false → test mode: nothing leaves the system, the sandbox stores what would have been sent. */
  @IsOptional()
  @IsBoolean()
  isLive?: boolean;
}

export class JtdStatusChangedPayload extends DomainEventPayload {
  @IsUUID()
  jtdId!: string;

  @IsString()
  sourceType!: string;

  @IsOptional()
  @IsString()
  sourceId?: string;

  @IsIn(JTD_CHANNELS)
  channel!: string;

  @IsOptional()
  @IsString()
  previousStatus?: string | null;

  @IsString()
  newStatus!: string;
}

export class InappNotificationCreatedPayload extends DomainEventPayload {
  @IsUUID()
  notificationId!: string;

  @IsUUID()
  userId!: string;

  @IsString()
  title!: string;

  @IsString()
  body!: string;

  @IsUUID()
  jtdId!: string;
}

/** Jobs to do: requests for the dispatcher (any service) and what the dispatcher reports. */
export const JTD_EVENTS: EventDefinition[] = [
  defineEvent({
    type: 'JTD_REQUESTED',
    payload: JtdRequestedPayload,
    version: 1,
    category: 'jtd',
    description: 'A service asks the dispatcher to create jobs (one per resolved channel) for a recipient.',
    retention: 'default',
    producers: ['events', 'tickets', 'jtd-dispatcher'],
    // The one-time code of OTP evidence: opened only for the provider call, never stored or shown in clear.
    sensitive: ['variables.otp'],
  }),
  defineEvent({
    type: 'JTD_STATUS_CHANGED',
    payload: JtdStatusChangedPayload,
    version: 1,
    category: 'jtd',
    description: 'A job moved to another status (pipeline, provider webhook or manual action).',
    retention: 'default',
    producers: ['jtd-dispatcher'],
  }),
  defineEvent({
    type: 'INAPP_NOTIFICATION_CREATED',
    payload: InappNotificationCreatedPayload,
    version: 1,
    category: 'jtd',
    description: 'An in-app notification was stored for a user (realtime clients push it).',
    retention: 'default',
    producers: ['jtd-dispatcher'],
  }),
];
