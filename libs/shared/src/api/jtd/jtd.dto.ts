import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { JTD_CHANNELS, JTD_EVENT_TYPES, JtdRecipient } from '../../catalog/jtd.catalog';

export class CreateJtdDto {
  @IsOptional()
  @IsIn(JTD_EVENT_TYPES)
  eventType?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  sourceType!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceId?: string;

  /** One channel; omitted → the source type's channels the tenant enabled. */
  @IsOptional()
  @IsIn(JTD_CHANNELS)
  channel?: string;

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

  @IsOptional()
  @IsBoolean()
  isLive?: boolean;
}

export class ListJtdDto {
  @IsOptional() @IsString() @MaxLength(30) status?: string;
  @IsOptional() @IsIn(JTD_CHANNELS) channel?: string;
  @IsOptional() @IsIn(JTD_EVENT_TYPES) eventType?: string;
  @IsOptional() @IsString() @MaxLength(50) sourceType?: string;
  @IsOptional() @IsString() @MaxLength(100) sourceId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class JtdIdDto {
  @IsUUID()
  id!: string;
}

export class TransitionJtdBodyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  to!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class TransitionJtdDto extends TransitionJtdBodyDto {
  @IsUUID()
  id!: string;
}

export class CancelJtdBodyDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class CancelJtdDto extends CancelJtdBodyDto {
  @IsUUID()
  id!: string;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class UpdateJtdSettingsDto {
  @IsOptional() @IsBoolean() vaniEnabled?: boolean;
  @IsOptional() @IsArray() @IsIn(JTD_EVENT_TYPES, { each: true }) vaniAutoExecuteTypes?: string[];
  @IsOptional() @IsObject() channelsEnabled?: Record<string, boolean>;
  @IsOptional() @IsInt() @Min(0) dailyLimit?: number | null;
  @IsOptional() @IsInt() @Min(0) monthlyLimit?: number | null;
  @IsOptional() @IsInt() @Min(1) @Max(10) defaultPriority?: number;
  @IsOptional() @IsString() @MaxLength(64) timezone?: string;
  @IsOptional() @Matches(HHMM, { message: 'quietHoursStart must be HH:MM' }) quietHoursStart?: string | null;
  @IsOptional() @Matches(HHMM, { message: 'quietHoursEnd must be HH:MM' }) quietHoursEnd?: string | null;
  @IsOptional() @IsInt() @Min(0) @Max(10080) appointmentReminderLeadMinutes?: number;
  @IsOptional() @IsBoolean() isLive?: boolean;
  @IsOptional() @IsString() @MaxLength(100) providerProfile?: string | null;
  @IsOptional() @IsInt() @Min(1) version?: number;
}

export class SourceTypeParamDto {
  @IsString()
  @Matches(/^[a-z0-9_]{1,50}$/)
  sourceType!: string;
}

export class UpdateJtdSourceSettingsBodyDto {
  @IsOptional() @IsArray() @IsIn(JTD_CHANNELS, { each: true }) channelsEnabled?: string[] | null;
  @IsOptional() @IsBoolean() isEnabled?: boolean;
  @IsOptional() @IsBoolean() autoExecute?: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(10) priorityOverride?: number | null;
  @IsOptional() @IsInt() @Min(0) @Max(2592000) delaySeconds?: number;
}

export class UpdateJtdSourceSettingsDto extends UpdateJtdSourceSettingsBodyDto {
  @IsString()
  @Matches(/^[a-z0-9_]{1,50}$/)
  sourceType!: string;
}

export class TemplateVariableDto {
  @IsString() @Matches(/^[a-zA-Z0-9_.]{1,60}$/) name!: string;
  @IsOptional() @IsBoolean() required?: boolean;
  @IsOptional() @IsString() @MaxLength(500) default?: string;
}

export class CreateJtdTemplateDto {
  @IsString() @Matches(/^[a-z0-9_]{1,100}$/) templateKey!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsIn(JTD_CHANNELS) channel!: string;
  @IsOptional() @IsString() @MaxLength(50) sourceType?: string;
  @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @IsString() @IsNotEmpty() @MaxLength(50000) content!: string;
  @IsOptional() @IsString() @MaxLength(100000) contentHtml?: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TemplateVariableDto) variables!: TemplateVariableDto[];
  @IsOptional() @IsString() @MaxLength(100) providerTemplateId?: string;
}

export class UpdateJtdTemplateBodyDto {
  @IsInt() @Min(1) version!: number;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50000) content?: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TemplateVariableDto) variables?: TemplateVariableDto[];
  @IsOptional() @IsString() @MaxLength(100) providerTemplateId?: string;
  @IsOptional() @IsBoolean() isActive?: boolean;
}

export class UpdateJtdTemplateDto extends UpdateJtdTemplateBodyDto {
  @IsUUID() id!: string;
}

export class ListTemplatesDto {
  @IsOptional() @IsIn(JTD_CHANNELS) channel?: string;
}

export class ListInboxDto {
  @IsOptional() @IsBoolean() @Type(() => Boolean) unreadOnly?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class Msg91WebhookChannelDto {
  @IsIn(['sms', 'email', 'whatsapp'])
  channel!: string;
}

/** The per-tenant webhook URL: `/v1/webhooks/msg91/{channel}?tenant=<uuid>&token=<secret>`. */
export class Msg91WebhookQueryDto {
  @IsUUID()
  tenant!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

export class Msg91WebhookDto extends Msg91WebhookQueryDto {
  @IsIn(['sms', 'email', 'whatsapp'])
  channel!: string;

  /** The provider's report as received (object, array or stringified JSON). */
  @IsOptional()
  payload?: unknown;
}
