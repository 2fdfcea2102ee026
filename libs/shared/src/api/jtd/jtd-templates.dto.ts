import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { JTD_CHANNELS } from '../../catalog/jtd.catalog';
import { PageQuery } from '../../contract/page';
import { Describe, Nullable, Version } from '../../validation/decorators';

const TEMPLATE_KEY = /^[a-z0-9_]{1,100}$/;
const SOURCE_TYPE = /^[a-z0-9_]{1,50}$/;

export class JtdTemplateVariableDto {
  @Matches(/^[a-zA-Z0-9_.]{1,60}$/, { message: 'name must be letters, digits, _ or . (up to 60)' })
  @MaxLength(60)
  name!: string;

  @IsOptional() @IsBoolean() @Describe('Default true: a job without it fails naming it') required?: boolean;
  @IsOptional() @IsString() @MaxLength(500) @Describe('Used when the job gives no value') default?: string;
}

/** `POST /v1/jtd/templates`. */
export class CreateJtdTemplateDto {
  @Matches(TEMPLATE_KEY, { message: 'templateKey must be lower-case letters, digits and _ (up to 100)' })
  @MaxLength(100)
  @Describe('With the channel, unique per tenant; the same key as a system template overrides it for this tenant', 'service_reminder_email_v1')
  templateKey!: string;

  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsIn(JTD_CHANNELS) channel!: string;

  @IsOptional()
  @Matches(SOURCE_TYPE, { message: 'sourceType must be a source type code' })
  @MaxLength(50)
  @Describe('Jobs of this source type without a templateKey use it')
  sourceType?: string;

  @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @IsString() @IsNotEmpty() @MaxLength(50000) @Describe('Text with `{{placeholders}}`, each declared in `variables`') content!: string;
  @IsOptional() @IsString() @MaxLength(100000) contentHtml?: string;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => JtdTemplateVariableDto)
  @Describe('Declared in the order providers get positional values (WhatsApp body_1…)')
  variables!: JtdTemplateVariableDto[];

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe('The provider’s approved template (MSG91 flow, WhatsApp template name); required for sms and whatsapp')
  providerTemplateId?: string;
}

/** A template named in the path. */
export class JtdTemplateRef {
  @IsUUID()
  @Describe('The template')
  id!: string;
}

/** `PUT /v1/jtd/templates/{id}`: only the fields sent change. */
export class UpdateJtdTemplateDto extends JtdTemplateRef {
  @Version() version!: number;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50000) content?: string;
  @IsOptional() @IsString() @MaxLength(100000) contentHtml?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => JtdTemplateVariableDto) variables?: JtdTemplateVariableDto[];
  @IsOptional() @IsString() @MaxLength(100) providerTemplateId?: string;
  @IsOptional() @IsBoolean() @Describe('false: jobs stop using it (the system template applies again)') isActive?: boolean;
}

/** `GET /v1/jtd/templates`. */
export class ListJtdTemplatesQuery extends PageQuery {
  @IsOptional() @IsIn(JTD_CHANNELS) channel?: string;
  @IsOptional() @Matches(SOURCE_TYPE, { message: 'sourceType must be a source type code' }) @MaxLength(50) sourceType?: string;
  @IsOptional() @Matches(TEMPLATE_KEY, { message: 'templateKey must be a template key' }) @MaxLength(100) templateKey?: string;
}

export class JtdTemplateVariableView {
  @IsString() name!: string;
  @IsBoolean() required!: boolean;
  @Nullable() @IsString() default!: string | null;
}

export class JtdTemplateView {
  @IsUUID() id!: string;
  @IsString() templateKey!: string;
  @IsString() name!: string;
  @IsIn(JTD_CHANNELS) channel!: string;
  @Nullable() @IsString() sourceType!: string | null;
  @Nullable() @IsString() subject!: string | null;
  @IsString() content!: string;
  @Nullable() @IsString() contentHtml!: string | null;
  @ValidateNested({ each: true }) @Type(() => JtdTemplateVariableView) variables!: JtdTemplateVariableView[];
  @Nullable() @IsString() providerTemplateId!: string | null;
  @IsInt() version!: number;
  @IsBoolean() isActive!: boolean;
  @IsBoolean() @Describe('A system template: read-only, overridden by a tenant template with the same key and channel') isSystem!: boolean;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}
