import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

// Validation only: every service loads these, and @nestjs/swagger costs each of them megabytes. The gateway
// adds the API docs (apps/gateway/src/routes/messaging/messaging-http.dto.ts).

/** `GET /v1/event-log` and RPC `messaging.event-log.query`: newest first, tenant-scoped. */
export class EventLogQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  correlationId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  aggregateId?: string;

  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  type?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** `GET /v1/admin/dead-letters` and RPC `messaging.dead-letters.list`. */
export class DeadLetterListDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

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
