import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { defineEvent, DomainEventPayload, EventDefinition } from '../messaging/event-definition';

export class TenantCreatedPayload extends DomainEventPayload {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  /** IANA zone (`Asia/Kolkata`): local dates of contracts and quiet hours are computed in it. */
  @IsString()
  @IsNotEmpty()
  timezone!: string;

  /** BCP 47 (`en-IN`). */
  @IsString()
  @IsNotEmpty()
  locale!: string;
}

/** Platform events (tenants), produced by the events service, which owns the tenant registry. */
export const PLATFORM_EVENTS: EventDefinition[] = [
  defineEvent({
    type: 'TENANT_CREATED',
    payload: TenantCreatedPayload,
    version: 1,
    category: 'platform',
    description: 'A tenant was registered; every service seeds its per-tenant defaults from it (idempotently).',
    retention: 'default',
    producers: ['events'],
  }),
];
