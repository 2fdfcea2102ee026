import { Actor } from '../context/actor';

/**
 * The one shape of every domain event on the wire: the seed's BaseEvent (booking-events-schema.md) plus
 * tenant, causation, actor and aggregate ordering. `payload` is camelCase and always carries `tenantId`
 * and `occurredAt`.
 */
export interface Envelope<P extends object = Record<string, unknown>> {
  id: string;
  type: string;
  /** Major version of the payload schema (`payload.<PascalCase>.v<version>`). */
  version: number;
  /** When the envelope was created (ISO 8601). */
  timestamp: string;
  /** When the business fact happened (ISO 8601); equals payload.occurredAt. */
  occurredAt: string;
  tenantId: string;
  correlationId: string;
  causationId?: string;
  /** The service that produced it. */
  source: string;
  actor: Actor;
  aggregateId: string;
  /** Position of this event in its aggregate's history; consumers use it to tolerate reordering. */
  aggregateVersion?: number;
  idempotencyKey?: string;
  payload: P;
  metadata: { userId?: string; requestId?: string; version: string; [key: string]: unknown };
}

/** What a producer supplies; the outbox fills in ids, times, tenant, actor and correlation from the context. */
export interface NewDomainEvent<P extends object = Record<string, unknown>> {
  type: string;
  aggregateId: string;
  aggregateVersion?: number;
  /** Without tenantId/occurredAt: they are added from the context. */
  payload: Omit<P, 'tenantId' | 'occurredAt'> & { occurredAt?: string };
  idempotencyKey?: string;
}
