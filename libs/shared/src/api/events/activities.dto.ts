import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IMPACT_LEVELS } from '../../catalog/activities-kits.catalog';
import { PageQuery } from '../../contract/page';
import { CalendarDate, Describe, INT4_MAX } from '../../validation/decorators';
import { NumberMap } from '../../validation/number-map';

const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const CODE_MESSAGE = '$property must be a lower-case code (letters, digits, underscores; up to 64), e.g. technician';

/** `{id}` and `{activityId}` of the activity routes. */
export class ActivityParams {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsUUID()
  @Describe('The activity (a sub-task of the event created as an activity)')
  activityId!: string;
}

/** GET /v1/events/{id}/activities */
export class ListActivitiesQuery extends PageQuery {
  @IsUUID()
  @Describe('The contract event')
  id!: string;
}

/** POST /v1/events/{id}/activities */
export class CreateActivityDto {
  @IsUUID()
  @Describe('The contract event')
  id!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(64)
  @Describe('What kind of work it is, a code the tenant chooses', 'filter_replacement')
  activityType!: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  @Describe('Estimated minutes (at most a week)')
  duration?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  @Describe('Kit templates the work needs (the tenant’s; another id answers 404 naming it)')
  requiredKitTemplateIds?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CODE, { each: true, message: CODE_MESSAGE })
  @MaxLength(64, { each: true })
  @Describe('Roles of the staff the work needs', ['technician'])
  requiredStaffRoles?: string[];

  @IsOptional()
  @IsBoolean()
  @Describe('Like a required sub-task: blocks the moves the flow gates on sub-tasks until the activity is completed')
  required?: boolean;

  @IsOptional()
  @CalendarDate()
  dueDate?: string;
}

/** POST /v1/events/{id}/activities/{activityId}/assign */
export class AssignActivityDto extends ActivityParams {
  @IsUUID()
  @Describe('The person who will carry it out (the identity provider’s user id)')
  assigneeId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(64)
  @Describe('The role they act in (default technician)', 'technician')
  role?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  instructions?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  @Describe('The activity’s version you read; a stale one answers 409 VERSION_CONFLICT')
  version?: number;
}

/** POST /v1/events/{id}/activities/{activityId}/start */
export class StartActivityDto extends ActivityParams {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  @Describe('The activity’s version you read; a stale one answers 409 VERSION_CONFLICT')
  version?: number;
}

export class ActivityOutcomesInput {
  @IsOptional()
  @NumberMap('Measurements taken, by name')
  metrics?: Record<string, number>;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { each: true })
  @MaxLength(2000, { each: true })
  photoUrls?: string[];
}

/** POST /v1/events/{id}/activities/{activityId}/complete */
export class CompleteActivityDto extends StartActivityDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => ActivityOutcomesInput)
  outcomes?: ActivityOutcomesInput;
}

/** POST /v1/events/{id}/activities/{activityId}/issues */
export class ReportActivityIssueDto extends ActivityParams {
  @Matches(CODE, { message: CODE_MESSAGE })
  @MaxLength(64)
  @Describe('What kind of issue, a code the tenant chooses', 'access_denied')
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
}
