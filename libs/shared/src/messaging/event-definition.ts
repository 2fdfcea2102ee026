import { IsISO8601, IsUUID } from 'class-validator';
import { ServiceName } from '../rpc/rpc-request';

/**
 * Retention classes of the seed's Event Storage policy. `default` is ours (2 years) for events the seed
 * does not classify (tickets, JTDs, platform).
 */
export const RETENTION_DAYS = {
  booking: 7 * 365,
  event_instance: 3 * 365,
  staff_assignment: 3 * 365,
  activity: 365,
  kit: 365,
  default: 2 * 365,
} as const;
export type RetentionClass = keyof typeof RETENTION_DAYS;

/** Fields every payload carries (workflow-event-catalog conventions). */
export abstract class DomainEventPayload {
  @IsUUID()
  tenantId!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;
}

export interface EventDefinition<P extends DomainEventPayload = DomainEventPayload> {
  type: string;
  payload: new () => P;
  version: number;
  category: string;
  description: string;
  retention: RetentionClass;
  producers: ServiceName[];
  /**
   * Paths in the payload (`variables.otp`; `*` for any key or list index) that hold secrets. The outbox
   * seals them (security/sealed-fields.ts) before anything is stored or published; readers see `[sealed]`.
   */
  sensitive?: string[];
}

/** `BOOKING_CREATED` → `payload.BookingCreated.v1` */
export function payloadSchemaRef(def: Pick<EventDefinition, 'type' | 'version'>): string {
  const pascal = def.type
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `payload.${pascal}.v${def.version}`;
}

/** One catalog entry. The payload class is the single source of truth: validation and JSON Schema. */
export function defineEvent<P extends DomainEventPayload>(def: EventDefinition<P>): EventDefinition<P> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(def.type)) throw new Error(`event type ${def.type} must be UPPER_SNAKE`);
  for (const path of def.sensitive ?? []) {
    if (!/^(\*|[A-Za-z0-9_]+)(\.(\*|[A-Za-z0-9_]+))*$/.test(path)) throw new Error(`sensitive path ${path} of ${def.type} must be dot-separated keys or *`);
  }
  return def;
}
