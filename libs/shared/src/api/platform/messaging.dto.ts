import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { PageQuery } from '../../contract/page';
import { Describe, Nullable } from '../../validation/decorators';
import { SERVICES } from '../../rpc/rpc-request';

/** `GET /v1/event-log`, and what each service answers for its own events. */
export class EventLogQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe('The request or business flow the events belong to (the X-Request-Id that caused them)')
  correlationId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe('The entity the events are about (contract, contract event, ticket, appointment, job…)')
  aggregateId?: string;

  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  @MaxLength(100)
  @Describe('An event type of the catalog', 'APPOINTMENT_CREATED')
  type?: string;
}

/** `GET /v1/admin/dead-letters`, and each service's own. */
export class DeadLetterQuery extends PageQuery {}

/** `POST /v1/admin/dead-letters/{id}/replay`, and each service's own. */
export class DeadLetterRef {
  @IsUUID()
  @Describe('The dead letter')
  id!: string;
}

export class EventTypeRef {
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  @MaxLength(100)
  @Describe('An event type of the catalog', 'APPOINTMENT_CREATED')
  type!: string;
}

export class NoInput {}

export class ActorView {
  @IsIn(['user', 'vani', 'system', 'webhook'])
  type!: string;

  /** A uuid; the system actors' well-known ids (00000000-0000-0000-0000-00000000000n) are not version-4 ones. */
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  @MaxLength(36)
  id!: string;

  @IsString()
  name!: string;
}

/** One stored domain event. */
export class EventLogItem {
  @IsUUID() id!: string;
  @IsString() type!: string;
  @IsInt() version!: number;
  @IsISO8601() @Describe('When it was stored') timestamp!: string;
  @IsISO8601() @Describe('When it happened') occurredAt!: string;
  @IsUUID() tenantId!: string;
  @IsString() correlationId!: string;
  @IsOptional() @IsString() causationId?: string;
  @IsString() @Describe('The service that emitted it') source!: string;
  @ValidateNested() @Type(() => ActorView) actor!: ActorView;
  @IsString() aggregateId!: string;
  @IsOptional() @IsInt() aggregateVersion?: number;
  @IsOptional() @IsString() idempotencyKey?: string;
  @IsObject() @Describe('Per the catalog entry of its type; its sensitive fields read `[sealed]`') payload!: Record<string, unknown>;
  @IsObject() metadata!: Record<string, unknown>;
  @Nullable() @IsISO8601() @Describe('When the relay published it; null while still in the outbox') publishedAt!: string | null;
  @IsInt() @Describe('Position in the producing service’s outbox') sequence!: number;
}

/** A message that could not be processed after its retries, parked with its reason. */
export class DeadLetterItem {
  @IsUUID() id!: string;
  @IsIn(SERVICES) @Describe('The service whose queue it failed in') service!: string;
  @IsString() queue!: string;
  @Nullable() @IsString() messageId!: string | null;
  @Nullable() @IsString() type!: string | null;
  @IsString() @Describe('Why it was parked (handler failed, invalid envelope, …)') reason!: string;
  @IsString() lastError!: string;
  @IsInt() attempts!: number;
  @IsISO8601() createdAt!: string;
  @Nullable() @IsISO8601() replayedAt!: string | null;
  @IsInt() replayCount!: number;
  @Nullable() @IsObject() @Describe('The message as received; the sensitive fields of its payload read `[sealed]`') envelope!: Record<string, unknown> | null;
  @IsObject() headers!: Record<string, unknown>;
}

export class EventCatalogEntryView {
  @IsString() @Describe('UPPER_SNAKE, as in the seeds') type!: string;
  @IsInt() version!: number;
  @IsString() category!: string;
  @IsString() description!: string;
  @IsString() @Describe('Retention class of the seed’s storage policy') retention!: string;
  @IsInt() retentionDays!: number;
  @IsString({ each: true }) @Describe('The services that emit it') producers!: string[];
  @IsString() @Describe('`payload.<PascalCase>.v<version>`') payloadSchemaRef!: string;
  @IsString({ each: true })
  @Describe(
    'Paths in the payload that hold secrets (`*` stands for any key or list index). They travel sealed (`{ "$sealed": "v1.…" }`, ' +
      'AES-256-GCM), are opened only where the value is used, and read `[sealed]` in the event log and in dead letters.',
  )
  sensitiveFields!: string[];
}

export class EventCatalogList {
  @ValidateNested({ each: true })
  @Type(() => EventCatalogEntryView)
  items!: EventCatalogEntryView[];
}

export class EventCatalogEntryDetail extends EventCatalogEntryView {
  @IsObject() @Describe('JSON Schema (draft-07) of the payload') payloadSchema!: Record<string, unknown>;
}
