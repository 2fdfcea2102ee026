import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, IsUUID, ValidateNested } from 'class-validator';
import { IMPACT_LEVELS } from '../../catalog/activities-kits.catalog';
import { CalendarDate, Describe, Nullable } from '../../validation/decorators';
import { NumberMap } from '../../validation/number-map';

export const ACTIVITY_STATUSES = ['open', 'assigned', 'in_progress', 'completed'] as const;

export class ActivityAssigneeView {
  @IsUUID() @Describe('This assignment; a new one on every reassignment') assignmentId!: string;
  @IsUUID() userId!: string;
  @Nullable() @IsString() name!: string | null;
  @IsString() role!: string;
  @Nullable() @IsString() instructions!: string | null;
  @IsUUID() assignedBy!: string;
  @IsISO8601() assignedAt!: string;
}

export class ActivityOutcomesView {
  @NumberMap('Measurements taken, by name') metrics!: Record<string, number>;
  @IsString() notes!: string;
  @IsArray() @IsString({ each: true }) photoUrls!: string[];
}

export class ActivityIssueView {
  @IsUUID() id!: string;
  @IsString() issueType!: string;
  @IsString() description!: string;
  @IsIn(IMPACT_LEVELS) impactLevel!: string;
  @IsArray() @IsString({ each: true }) photoUrls!: string[];
  @IsUUID() reportedBy!: string;
  @IsISO8601() reportedAt!: string;
}

/** An activity of a contract event: one of its sub-tasks, with who carries it out and how it went. */
export class ActivityView {
  @IsUUID() @Describe('Also the sub-task’s id (`tasks` of GET /events/{id})') id!: string;
  @IsUUID() eventId!: string;
  @IsUUID() contractId!: string;
  @IsString() title!: string;
  @IsString() activityType!: string;
  @IsString() description!: string;
  @Nullable() @IsInt() @Describe('Estimated minutes') duration!: number | null;
  @IsArray() @IsUUID('all', { each: true }) requiredKitTemplateIds!: string[];
  @IsArray() @IsString({ each: true }) requiredStaffRoles!: string[];
  @IsBoolean() required!: boolean;
  @Nullable() @CalendarDate() dueDate!: string | null;
  @IsIn(ACTIVITY_STATUSES) @Describe('open → assigned → in_progress → completed') status!: string;
  @Nullable() @ValidateNested() @Type(() => ActivityAssigneeView) assignee!: ActivityAssigneeView | null;
  @Nullable() @IsUUID() startedBy!: string | null;
  @Nullable() @IsISO8601() startedAt!: string | null;
  @Nullable() @IsUUID() completedBy!: string | null;
  @Nullable() @IsISO8601() completedAt!: string | null;
  @Nullable() @ValidateNested() @Type(() => ActivityOutcomesView) outcomes!: ActivityOutcomesView | null;
  @ValidateNested({ each: true }) @Type(() => ActivityIssueView) issues!: ActivityIssueView[];
  @IsArray() @IsUUID('all', { each: true }) @Describe('Kit instances assigned to it and not returned') kitsInUse!: string[];
  @IsInt() @Describe('Send it back with an action to make sure nobody changed it meanwhile (optional)') version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}
