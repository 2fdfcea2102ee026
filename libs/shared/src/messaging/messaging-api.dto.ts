import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

/** `GET /v1/event-log` and RPC `messaging.event-log.query`: newest first, tenant-scoped. */
export class EventLogQueryDto {
  @ApiPropertyOptional({ description: 'The request or business flow the events belong to' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  correlationId?: string;

  @ApiPropertyOptional({ description: 'The entity the events are about (contract event, ticket, appointment, JTD…)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  aggregateId?: string;

  @ApiPropertyOptional({ example: 'APPOINTMENT_CREATED' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  type?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** `GET /v1/admin/dead-letters` and RPC `messaging.dead-letters.list`. */
export class DeadLetterListDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** `POST /v1/admin/dead-letters/{id}/replay` and RPC `messaging.dead-letters.replay`. */
export class DeadLetterReplayDto {
  @IsUUID()
  id!: string;
}

export const DEFAULT_PAGE_SIZE = 50;

/** RPC patterns of the backbone; every service answers them on its own RPC queue. */
export const MESSAGING_RPC = {
  eventLog: 'messaging.event-log.query',
  deadLetters: 'messaging.dead-letters.list',
  replay: 'messaging.dead-letters.replay',
} as const;

export interface EventLogItem {
  id: string;
  type: string;
  version: number;
  timestamp: string;
  occurredAt: string;
  tenantId: string;
  correlationId: string;
  causationId?: string;
  source: string;
  actor: { type: string; id: string; name: string };
  aggregateId: string;
  aggregateVersion?: number;
  idempotencyKey?: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  publishedAt: string | null;
  /** Position in the producing service's outbox; orders events of the same millisecond. */
  sequence: number;
}

export interface DeadLetterItem {
  id: string;
  service: string;
  queue: string;
  messageId: string | null;
  type: string | null;
  reason: string;
  lastError: string;
  attempts: number;
  createdAt: string;
  replayedAt: string | null;
  replayCount: number;
  envelope: Record<string, unknown> | null;
  headers: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
