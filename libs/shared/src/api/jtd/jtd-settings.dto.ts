import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { JTD_CHANNELS, JTD_EVENT_TYPES } from '../../catalog/jtd.catalog';
import { Describe, INT4_MAX, Nullable } from '../../validation/decorators';
import { OptionalNullable } from './optional-nullable';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const SOURCE_TYPE = /^[a-z0-9_]{1,50}$/;

/** Channels to switch on or off; the ones left out keep their setting. */
export class JtdChannelSwitches {
  @IsOptional() @IsBoolean() email?: boolean;
  @IsOptional() @IsBoolean() sms?: boolean;
  @IsOptional() @IsBoolean() whatsapp?: boolean;
  @IsOptional() @IsBoolean() push?: boolean;
  @IsOptional() @IsBoolean() inapp?: boolean;
}

/** `PUT /v1/settings/jtd`: only the fields sent change. */
export class UpdateJtdSettingsDto {
  @IsOptional() @IsBoolean() @Describe('Let VaNi execute action jobs (task, appointment, service_visit) of the types below') vaniEnabled?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(JTD_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(JTD_EVENT_TYPES, { each: true })
  vaniAutoExecuteTypes?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => JtdChannelSwitches)
  @Describe('Merged into the current switches: `{ "sms": true }` turns SMS on and leaves the others')
  channelsEnabled?: JtdChannelSwitches;

  @OptionalNullable('First sends per day in the tenant’s timezone; over it jobs are `held` until the next day. null: no limit')
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  dailyLimit?: number | null;

  @OptionalNullable('First sends per calendar month; over it jobs are `held` until the next month. null: no limit')
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  monthlyLimit?: number | null;

  @IsOptional() @IsInt() @Min(1) @Max(10) defaultPriority?: number;

  @IsOptional() @IsTimeZone() @MaxLength(64) @Describe('IANA zone of quiet hours and daily limits', 'Asia/Kolkata') timezone?: string;

  @OptionalNullable('HH:MM local; with quietHoursEnd, jobs due inside the window wait (`scheduled`) until it ends. null: none')
  @Matches(HHMM, { message: 'quietHoursStart must be HH:MM (00:00–23:59)' })
  @MaxLength(5)
  quietHoursStart?: string | null;

  @OptionalNullable('HH:MM local; before quietHoursStart means the window spans midnight (22:00–07:00). null: none')
  @Matches(HHMM, { message: 'quietHoursEnd must be HH:MM (00:00–23:59)' })
  @MaxLength(5)
  quietHoursEnd?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  @Describe('How long before an appointment its reminder goes out (minutes)')
  appointmentReminderLeadMinutes?: number;

  @IsOptional() @IsBoolean() @Describe('false: test mode, nothing is sent, the sandbox keeps what would have been') isLive?: boolean;

  @OptionalNullable('A provider profile the deployment bound to this tenant (its own MSG91/FCM account; 422 otherwise); null: the default one')
  @IsString()
  @MaxLength(100)
  providerProfile?: string | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  @Describe('The version you read; when given, a stale one answers 409 VERSION_CONFLICT')
  version?: number;
}

/** A source type named in the path. */
export class JtdSourceTypeRef {
  @Matches(SOURCE_TYPE, { message: 'sourceType must be a source type code such as payment_due' })
  @MaxLength(50)
  @Describe('A source type of the master data', 'payment_due')
  sourceType!: string;
}

/** `PUT /v1/settings/jtd/sources/{sourceType}`: only the fields sent change. */
export class UpdateJtdSourceSettingsDto extends JtdSourceTypeRef {
  @OptionalNullable('The channels jobs of this source go to when a request names none; null: the source type’s defaults')
  @IsArray()
  @ArrayMaxSize(JTD_CHANNELS.length)
  @ArrayUnique()
  @IsIn(JTD_CHANNELS, { each: true })
  channelsEnabled?: string[] | null;

  @IsOptional() @IsBoolean() @Describe('false: requests of this source create no job (answered 422 over HTTP)') isEnabled?: boolean;
  @IsOptional() @IsBoolean() @Describe('Action jobs of this source run without waiting for a person') autoExecute?: boolean;

  @OptionalNullable('Priority for this source’s jobs when a request gives none; null: the event type’s default')
  @IsInt()
  @Min(1)
  @Max(10)
  priorityOverride?: number | null;

  @IsOptional() @IsInt() @Min(0) @Max(2592000) @Describe('Jobs without scheduledAt wait this long after creation (seconds)') delaySeconds?: number;
}

export class JtdChannelsView {
  @IsBoolean() email!: boolean;
  @IsBoolean() sms!: boolean;
  @IsBoolean() whatsapp!: boolean;
  @IsBoolean() push!: boolean;
  @IsBoolean() inapp!: boolean;
}

export class JtdSettingsView {
  @IsBoolean() vaniEnabled!: boolean;
  @IsIn(JTD_EVENT_TYPES, { each: true }) vaniAutoExecuteTypes!: string[];
  @ValidateNested() @Type(() => JtdChannelsView) channelsEnabled!: JtdChannelsView;
  @Nullable() @IsInt() dailyLimit!: number | null;
  @Nullable() @IsInt() monthlyLimit!: number | null;
  @IsInt() defaultPriority!: number;
  @IsTimeZone() timezone!: string;
  @Nullable() @Matches(HHMM) quietHoursStart!: string | null;
  @Nullable() @Matches(HHMM) quietHoursEnd!: string | null;
  @IsInt() appointmentReminderLeadMinutes!: number;
  @IsBoolean() isLive!: boolean;
  @Nullable() @IsString() providerProfile!: string | null;
  @IsInt() version!: number;
}

export class Msg91WebhookPathsView {
  @IsString() email!: string;
  @IsString() sms!: string;
  @IsString() whatsapp!: string;
}

export class WebhookSecretView {
  @IsString() @Describe('Shown here only, once (only its hash is kept); the previous secret stops working now') webhookSecret!: string;
  @ValidateNested()
  @Type(() => Msg91WebhookPathsView)
  @Describe('The paths (under the gateway’s origin) to give MSG91, secret included')
  webhookPaths!: Msg91WebhookPathsView;
}

export class JtdSourceSettingsView {
  @IsString() sourceType!: string;
  @Nullable() @IsIn(JTD_CHANNELS, { each: true }) @Describe('null: the source type’s default channels') channelsEnabled!: string[] | null;
  @IsBoolean() isEnabled!: boolean;
  @IsBoolean() autoExecute!: boolean;
  @Nullable() @IsInt() priorityOverride!: number | null;
  @IsInt() delaySeconds!: number;
  @IsInt() @Describe('0 while the tenant has not changed the source’s defaults') version!: number;
}

/** One step of a tenant's channel fallback: a job that fails for good on `from` continues on `to`. */
export class JtdChannelFallbackRoute {
  @IsIn(JTD_CHANNELS) @Describe('The channel that failed for good', 'whatsapp') from!: string;
  @IsIn(JTD_CHANNELS) @Describe('The channel the job continues on', 'sms') to!: string;
}

export class ReplaceJtdChannelFallbackDto {
  @IsArray()
  @ArrayMaxSize(JTD_CHANNELS.length)
  @ValidateNested({ each: true })
  @Type(() => JtdChannelFallbackRoute)
  @Describe(
    'Replaces the whole fallback. At most one route per channel, only channels the tenant enabled, no cycles (whatsapp → sms → ' +
      'whatsapp is refused). `[]` turns fallback off.',
    [
      { from: 'whatsapp', to: 'sms' },
      { from: 'sms', to: 'email' },
    ],
  )
  routes!: JtdChannelFallbackRoute[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  @Describe('The settings version you read; when given, a stale one answers 409 VERSION_CONFLICT')
  version?: number;
}

export class JtdChannelFallbackView {
  @ValidateNested({ each: true }) @Type(() => JtdChannelFallbackRoute) routes!: JtdChannelFallbackRoute[];
  @IsInt() @Describe('The version of the tenant’s settings (the fallback is part of them)') version!: number;
}
