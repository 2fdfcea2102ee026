import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';
import { NumberMap } from '../validation/number-map';

/*
 * Activities inside contract events and the kits they use (seed booking-events-schema.md §3 and §5). Field
 * names are the seed's; `bookingId` is the contract's id, as in the booking events.
 */

/** How bad an issue is for the work (seed). */
export const IMPACT_LEVELS = ['minor', 'moderate', 'major'] as const;
/** A kit or a component as it was prepared (seed KIT_PREPARED). */
export const KIT_CONDITIONS = ['excellent', 'good', 'fair', 'poor'] as const;
/** A kit as it came back (seed KIT_RETURNED). */
export const KIT_RETURN_CONDITIONS = [...KIT_CONDITIONS, 'damaged'] as const;
/** What went wrong with a kit (seed KIT_ISSUE_REPORTED). */
export const KIT_ISSUE_TYPES = ['missing', 'damaged', 'insufficient', 'quality', 'other'] as const;
/** How bad a damaged component is (seed KIT_RETURNED). */
export const DAMAGE_SEVERITIES = ['minor', 'moderate', 'severe'] as const;

// ---- activities (seed §3) ----

abstract class ActivityPayload extends DomainEventPayload {
  @IsUUID()
  activityId!: string;

  @IsUUID()
  eventId!: string;
}

export class ActivityCreatedPayload extends ActivityPayload {
  @IsUUID()
  bookingId!: string;

  @IsString()
  createdBy!: string;

  @IsISO8601({ strict: true })
  createdAt!: string;

  @IsString()
  title!: string;

  @IsString()
  activityType!: string;

  @IsString()
  description!: string;

  /** Minutes; absent when nobody estimated it. */
  @IsOptional()
  @IsInt()
  @Min(1)
  duration?: number;

  @IsArray()
  @IsUUID('all', { each: true })
  requiredKitTemplateIds!: string[];

  @IsArray()
  @IsString({ each: true })
  requiredStaffRoles!: string[];

  @IsBoolean()
  required!: boolean;
}

export class ActivityAssignedPayload extends ActivityPayload {
  @IsUUID()
  assignmentId!: string;

  @IsString()
  assignedTo!: string;

  @IsString()
  assignedBy!: string;

  @IsISO8601({ strict: true })
  assignedAt!: string;

  @IsString()
  role!: string;

  @IsOptional()
  @IsString()
  instructions?: string;
}

export class ActivityStartedPayload extends ActivityPayload {
  @IsString()
  startedBy!: string;

  @IsISO8601({ strict: true })
  startedAt!: string;

  /** Kit instances assigned to the activity and not returned. */
  @IsArray()
  @IsUUID('all', { each: true })
  kitsInUse!: string[];

  @IsArray()
  @IsString({ each: true })
  staffExecuting!: string[];
}

export class ActivityOutcomes {
  @NumberMap('Measurements taken, by name')
  metrics!: Record<string, number>;

  @IsString()
  notes!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  photoUrls?: string[];
}

export class ActivityCompletedPayload extends ActivityPayload {
  @IsString()
  completedBy!: string;

  @IsISO8601({ strict: true })
  completedAt!: string;

  @ValidateNested()
  @Type(() => ActivityOutcomes)
  outcomes!: ActivityOutcomes;
}

export class ActivityIssueReportedPayload extends ActivityPayload {
  @IsUUID()
  issueId!: string;

  @IsString()
  reportedBy!: string;

  @IsISO8601({ strict: true })
  reportedAt!: string;

  @IsString()
  issueType!: string;

  @IsString()
  description!: string;

  @IsIn(IMPACT_LEVELS)
  impactLevel!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  photoUrls?: string[];
}

// ---- kits (seed §5) ----

abstract class KitPayload extends DomainEventPayload {
  @IsUUID()
  kitAssignmentId!: string;

  @IsUUID()
  activityId!: string;

  @IsUUID()
  eventId!: string;
}

export class KitAssignedToActivityPayload extends KitPayload {
  @IsUUID()
  kitTemplateId!: string;

  @IsOptional()
  @IsUUID()
  kitInstanceId?: string;

  @IsString()
  assignedBy!: string;

  @IsISO8601({ strict: true })
  assignedAt!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsOptional()
  @IsString()
  notes?: string;
}

export class PreparedComponent {
  @IsUUID()
  id!: string;

  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  quantity!: number;

  @IsIn(KIT_CONDITIONS)
  condition!: string;
}

export class KitPreparedPayload extends KitPayload {
  @IsUUID()
  kitInstanceId!: string;

  @IsString()
  preparedBy!: string;

  @IsISO8601({ strict: true })
  preparedAt!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PreparedComponent)
  components!: PreparedComponent[];

  @IsOptional()
  @IsString()
  notes?: string;
}

export class KitCheckedOutPayload extends KitPayload {
  @IsUUID()
  kitInstanceId!: string;

  @IsString()
  checkedOutBy!: string;

  @IsISO8601({ strict: true })
  checkedOutAt!: string;

  @IsString()
  checkedOutTo!: string;

  @IsISO8601({ strict: true })
  expectedReturnDate!: string;
}

export class DamagedComponent {
  @IsUUID()
  id!: string;

  @IsString()
  description!: string;

  @IsIn(DAMAGE_SEVERITIES)
  severity!: string;
}

export class KitReturnedPayload extends KitPayload {
  @IsUUID()
  kitInstanceId!: string;

  @IsString()
  returnedBy!: string;

  @IsISO8601({ strict: true })
  returnedAt!: string;

  @IsString()
  receivedBy!: string;

  @IsIn(KIT_RETURN_CONDITIONS)
  condition!: string;

  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  missingComponents?: string[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DamagedComponent)
  damagedComponents?: DamagedComponent[];

  @IsOptional()
  @IsString()
  notes?: string;
}

export class KitIssueReportedPayload extends KitPayload {
  @IsUUID()
  kitInstanceId!: string;

  @IsUUID()
  issueId!: string;

  @IsString()
  reportedBy!: string;

  @IsISO8601({ strict: true })
  reportedAt!: string;

  @IsIn(KIT_ISSUE_TYPES)
  issueType!: string;

  @IsString()
  description!: string;

  @IsIn(IMPACT_LEVELS)
  impactLevel!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  photoUrls?: string[];

  @IsBoolean()
  needsImmediate!: boolean;
}

const activity = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'activity', description, retention: 'activity', producers: ['events'] });
const kit = (type: string, payload: new () => DomainEventPayload, description: string) =>
  defineEvent({ type, payload, version: 1, category: 'kit', description, retention: 'kit', producers: ['events'] });

/** Events of activities and kits, produced by the events service. */
export const ACTIVITY_KIT_EVENTS: EventDefinition[] = [
  activity('ACTIVITY_CREATED', ActivityCreatedPayload, 'An activity was created for a contract event (it is also one of the event’s sub-tasks).'),
  activity('ACTIVITY_ASSIGNED', ActivityAssignedPayload, 'A person was assigned to carry out an activity.'),
  activity('ACTIVITY_STARTED', ActivityStartedPayload, 'The assigned person started an activity.'),
  activity('ACTIVITY_COMPLETED', ActivityCompletedPayload, 'An activity was completed, with its outcomes.'),
  activity('ACTIVITY_ISSUE_REPORTED', ActivityIssueReportedPayload, 'An issue was reported on an activity.'),
  kit('KIT_ASSIGNED_TO_ACTIVITY', KitAssignedToActivityPayload, 'A kit instance was assigned to an activity.'),
  kit('KIT_PREPARED', KitPreparedPayload, 'A kit was prepared for its activity, with the condition of each component.'),
  kit('KIT_CHECKED_OUT', KitCheckedOutPayload, 'A prepared kit was checked out to a person.'),
  kit('KIT_RETURNED', KitReturnedPayload, 'A kit came back, with its condition and any missing or damaged components.'),
  kit('KIT_ISSUE_REPORTED', KitIssueReportedPayload, 'An issue was reported on a kit.'),
];
