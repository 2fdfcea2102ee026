import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DAMAGE_SEVERITIES, IMPACT_LEVELS, KIT_CONDITIONS, KIT_ISSUE_TYPES, KIT_RETURN_CONDITIONS } from '../../catalog/activities-kits.catalog';
import { PageQuery } from '../../contract/page';
import { Describe, Timestamp, Version } from '../../validation/decorators';

/** What a kit instance can be doing. */
export const KIT_STATUSES = ['available', 'assigned', 'prepared', 'checked_out', 'out_of_service'] as const;

/** `{id}` of the kit template routes. */
export class KitTemplateParams {
  @IsUUID()
  @Describe('The kit template')
  id!: string;
}

/** `{id}` of the kit routes. */
export class KitParams {
  @IsUUID()
  @Describe('The kit (an instance of a template)')
  id!: string;
}

export class KitComponentInput {
  @IsOptional()
  @IsUUID()
  @Describe('Keep a component’s id when editing a template; a new component gets one')
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(10000)
  quantity!: number;
}

/** POST /v1/kit-templates */
export class CreateKitTemplateDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => KitComponentInput)
  @Describe('What the kit holds; names are unique within a template')
  components!: KitComponentInput[];
}

/** PATCH /v1/kit-templates/{id} */
export class UpdateKitTemplateDto extends KitTemplateParams {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => KitComponentInput)
  @Describe('The full new list; kits made before keep the components they were made with')
  components?: KitComponentInput[];

  @Version()
  version!: number;
}

/** GET /v1/kit-templates */
export class ListKitTemplatesQuery extends PageQuery {}

/** POST /v1/kits */
export class CreateKitDto {
  @IsUUID()
  @Describe('The template it is made from (its components are copied)')
  templateId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe('The tenant’s unique label of the physical kit (409 when taken)', 'KIT-AC-001')
  label!: string;

  @IsOptional()
  @IsIn(KIT_CONDITIONS)
  @Describe('Default good')
  condition?: string;
}

/** PATCH /v1/kits/{id}: relabel, or record a repair (a new condition). */
export class UpdateKitDto extends KitParams {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label?: string;

  @IsOptional()
  @IsIn(KIT_CONDITIONS)
  @Describe('After a repair or restock: every component takes this condition and a kit out of service is available again')
  condition?: string;

  @Version()
  version!: number;
}

/** GET /v1/kits */
export class ListKitsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  templateId?: string;

  @IsOptional()
  @IsIn(KIT_STATUSES)
  status?: string;
}

/** GET /v1/kits/{id}/history */
export class KitHistoryQuery extends PageQuery {
  @IsUUID()
  @Describe('The kit')
  id!: string;
}

/** POST /v1/events/{id}/activities/{activityId}/kits */
export class AssignKitDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsUUID()
  @Describe('The activity')
  activityId!: string;

  @IsUUID()
  @Describe('The kit instance; it must be available')
  kitId!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  @Describe('Default 1')
  quantity?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class PreparedComponentInput {
  @IsUUID()
  @Describe('A component of the kit')
  id!: string;

  @IsIn(KIT_CONDITIONS)
  condition!: string;
}

/** POST /v1/kits/{id}/prepare */
export class PrepareKitDto extends KitParams {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PreparedComponentInput)
  @Describe('The condition of components as checked; the others keep theirs')
  components?: PreparedComponentInput[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** POST /v1/kits/{id}/check-out */
export class CheckOutKitDto extends KitParams {
  @IsOptional()
  @IsUUID()
  @Describe('Who takes it (default: the person assigned to the activity)')
  checkedOutTo?: string;

  @Timestamp()
  @Describe('When it is due back')
  expectedReturnDate!: string;
}

export class ComponentDamageInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  description!: string;

  @IsIn(DAMAGE_SEVERITIES)
  severity!: string;
}

export class ReturnedComponentInput {
  @IsUUID()
  @Describe('A component of the kit')
  id!: string;

  @IsOptional()
  @IsIn(KIT_CONDITIONS)
  condition?: string;

  @IsOptional()
  @IsBoolean()
  @Describe('It did not come back')
  missing?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => ComponentDamageInput)
  damage?: ComponentDamageInput;
}

/** POST /v1/kits/{id}/return */
export class ReturnKitDto extends KitParams {
  @IsIn(KIT_RETURN_CONDITIONS)
  @Describe('The kit as a whole; damaged takes it out of service')
  condition!: string;

  @IsOptional()
  @IsUUID()
  @Describe('Who received it back (default: the caller)')
  receivedBy?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReturnedComponentInput)
  @Describe('Components as they came back; the others keep their condition')
  components?: ReturnedComponentInput[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** POST /v1/kits/{id}/issues */
export class ReportKitIssueDto extends KitParams {
  @IsIn(KIT_ISSUE_TYPES)
  issueType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description!: string;

  @IsIn(IMPACT_LEVELS)
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
