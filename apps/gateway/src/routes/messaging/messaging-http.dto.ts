import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { DeadLetterListDto, EventLogQueryDto } from '@app/shared/messaging/messaging-api.dto';

/** Adds swagger docs to a shared DTO's properties here, so that only the gateway loads swagger. */
function documentQuery(cls: new () => object, properties: Record<string, ApiPropertyOptions>): void {
  for (const [name, options] of Object.entries(properties)) ApiPropertyOptional(options)(cls.prototype, name);
}

const PAGING = {
  cursor: { description: 'nextCursor of the previous page' },
  limit: { minimum: 1, maximum: 200, default: 50 },
} satisfies Record<string, ApiPropertyOptions>;

documentQuery(EventLogQueryDto, {
  correlationId: { description: 'The request or business flow the events belong to' },
  aggregateId: { description: 'The entity the events are about (contract event, ticket, appointment, JTD…)' },
  type: { example: 'APPOINTMENT_CREATED' },
  ...PAGING,
});
documentQuery(DeadLetterListDto, PAGING);

/** The shared query DTOs, documented: the gateway's controllers take them from here. */
export { DeadLetterListDto, EventLogQueryDto };

export class EventTypeParamDto {
  @ApiProperty({ example: 'APPOINTMENT_CREATED' })
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'type must be an UPPER_SNAKE event type' })
  type!: string;
}

export class DeadLetterIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
