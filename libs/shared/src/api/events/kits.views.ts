import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsString, IsUUID, ValidateNested } from 'class-validator';
import { DAMAGE_SEVERITIES, IMPACT_LEVELS, KIT_ISSUE_TYPES, KIT_RETURN_CONDITIONS } from '../../catalog/activities-kits.catalog';
import { Describe, Nullable } from '../../validation/decorators';
import { EventAuditActorView } from './contract-events.views';
import { KIT_STATUSES } from './kits.dto';

export const KIT_ASSIGNMENT_STATUSES = ['assigned', 'prepared', 'checked_out', 'returned'] as const;

export class KitTemplateComponentView {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsInt() quantity!: number;
}

export class KitTemplateView {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @Nullable() @IsString() description!: string | null;
  @ValidateNested({ each: true }) @Type(() => KitTemplateComponentView) components!: KitTemplateComponentView[];
  @IsBoolean() @Describe('Deleted: no new kits are made from it; kits made before are kept') archived!: boolean;
  @IsInt() version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class KitComponentView {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsInt() quantity!: number;
  @IsIn(KIT_RETURN_CONDITIONS) condition!: string;
  @IsBoolean() @Describe('Did not come back from the last use') missing!: boolean;
}

export class DamagedComponentView {
  @IsUUID() id!: string;
  @IsString() description!: string;
  @IsIn(DAMAGE_SEVERITIES) severity!: string;
}

export class KitAssignmentView {
  @IsUUID() id!: string;
  @IsUUID() kitId!: string;
  @IsUUID() kitTemplateId!: string;
  @IsUUID() activityId!: string;
  @IsUUID() eventId!: string;
  @IsInt() quantity!: number;
  @Nullable() @IsString() notes!: string | null;
  @IsIn(KIT_ASSIGNMENT_STATUSES) status!: string;
  @IsUUID() assignedBy!: string;
  @IsISO8601() assignedAt!: string;
  @Nullable() @IsUUID() preparedBy!: string | null;
  @Nullable() @IsISO8601() preparedAt!: string | null;
  @Nullable() @IsUUID() checkedOutBy!: string | null;
  @Nullable() @IsISO8601() checkedOutAt!: string | null;
  @Nullable() @IsUUID() checkedOutTo!: string | null;
  @Nullable() @IsISO8601() expectedReturnDate!: string | null;
  @Nullable() @IsUUID() returnedBy!: string | null;
  @Nullable() @IsISO8601() returnedAt!: string | null;
  @Nullable() @IsUUID() receivedBy!: string | null;
  @Nullable() @IsIn(KIT_RETURN_CONDITIONS) returnCondition!: string | null;
  @IsArray() @IsUUID('all', { each: true }) missingComponents!: string[];
  @ValidateNested({ each: true }) @Type(() => DamagedComponentView) damagedComponents!: DamagedComponentView[];
}

/** A physical kit made from a template. */
export class KitView {
  @IsUUID() id!: string;
  @IsUUID() templateId!: string;
  @IsString() label!: string;
  @IsIn(KIT_RETURN_CONDITIONS) condition!: string;
  @IsIn(KIT_STATUSES)
  @Describe('available → assigned → prepared → checked_out → available (out_of_service when returned damaged or incomplete)')
  status!: string;
  @ValidateNested({ each: true }) @Type(() => KitComponentView) components!: KitComponentView[];
  @Nullable()
  @ValidateNested()
  @Type(() => KitAssignmentView)
  @Describe('The open assignment, or the last one when none is open')
  assignment!: KitAssignmentView | null;
  @IsInt() version!: number;
  @IsISO8601() createdAt!: string;
  @IsISO8601() updatedAt!: string;
}

export class KitHistoryEntryView {
  @IsString() @Describe('Increasing with time') id!: string;
  @IsString() @Describe('created, updated, assigned, prepared, checked_out, returned, issue_reported') action!: string;
  @Nullable() @IsIn(KIT_STATUSES) fromStatus!: string | null;
  @IsIn(KIT_STATUSES) toStatus!: string;
  @IsIn(KIT_RETURN_CONDITIONS) condition!: string;
  @Nullable() @IsUUID() kitAssignmentId!: string | null;
  @IsObject() @Describe('What the action recorded (components, issue, return details…)') details!: Record<string, unknown>;
  @ValidateNested() @Type(() => EventAuditActorView) actor!: EventAuditActorView;
  @IsISO8601() at!: string;
}

export class KitIssueView {
  @IsUUID() id!: string;
  @IsUUID() kitId!: string;
  @IsUUID() kitAssignmentId!: string;
  @IsUUID() activityId!: string;
  @IsUUID() eventId!: string;
  @IsIn(KIT_ISSUE_TYPES) issueType!: string;
  @IsString() description!: string;
  @IsIn(IMPACT_LEVELS) impactLevel!: string;
  @IsArray() @IsString({ each: true }) photoUrls!: string[];
  @IsBoolean() needsImmediate!: boolean;
  @IsUUID() reportedBy!: string;
  @IsISO8601() reportedAt!: string;
}
