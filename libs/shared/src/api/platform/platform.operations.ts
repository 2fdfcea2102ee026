import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { ALL_ROLES } from '../roles';
import {
  DeadLetterItem,
  DeadLetterQuery,
  DeadLetterRef,
  EventCatalogEntryDetail,
  EventCatalogList,
  EventLogItem,
  EventLogQuery,
  EventTypeRef,
  NoInput,
} from './messaging.dto';
import { ServiceSelfStatus, SystemStatusView } from './system-status.dto';
import { CreateTenantDto, TenantRef, TenantRegistrationView, TenantView } from './tenants.dto';

export const createTenant = defineOperation({
  name: 'createTenant',
  handler: 'events',
  tag: 'platform',
  summary: 'Register a tenant',
  description:
    'Creates the tenant in the registry (the events service owns it) and publishes TENANT_CREATED; every service seeds ' +
    'its defaults for the tenant from that event (status flows, JTD settings), so they are in place moments later. ' +
    'Only platform administrators may call it; the tenant id in their token is not used. `id` may name the tenant’s id ' +
    '(tenants imported from another system keep theirs); an id already registered answers 409 CONFLICT. Every other ' +
    'operation serves only tenants registered here: a token for any other tenant gets 403 TENANT_UNKNOWN.',
  input: CreateTenantDto,
  output: TenantView,
  roles: ['platform_admin'],
  errors: [ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/tenants', status: 201, idempotent: true },
  tenant: 'any',
});

export const getTenantRegistration = defineOperation({
  name: 'getTenantRegistration',
  handler: 'events',
  tag: 'platform',
  summary: 'Whether a tenant is registered',
  description:
    'Asked by the gateway before it serves a tenant’s request (it caches the answer). Answers `registered: false` ' +
    'rather than an error for a tenant that does not exist.',
  input: TenantRef,
  output: TenantRegistrationView,
  roles: ['platform_admin'],
  errors: [],
  tenant: 'any',
});

export const getSystemStatus = defineOperation({
  name: 'getSystemStatus',
  handler: 'gateway',
  tag: 'system',
  summary: 'Version, readiness and round-trip time of every service',
  description:
    'Asks every service over RabbitMQ who and how it is. A service that does not answer is reported `down` with the reason; ' +
    'the answer is 200 whatever the services’ state, with `status: degraded` unless all are up.',
  input: NoInput,
  output: SystemStatusView,
  roles: ['admin', 'platform_admin'],
  errors: [],
  http: { method: 'GET', path: '/system/status' },
  tenant: 'any',
});

export const getServiceStatus = defineOperation({
  name: 'getServiceStatus',
  handler: 'each-service',
  tag: 'system',
  summary: 'One service’s version and readiness',
  description: 'Answered by every service on its own RPC queue; the gateway composes GET /system/status from the answers.',
  input: NoInput,
  output: ServiceSelfStatus,
  roles: ['admin', 'platform_admin'],
  errors: [],
});

export const listEventTypes = defineOperation({
  name: 'listEventTypes',
  handler: 'gateway',
  tag: 'event catalog',
  summary: 'Every domain event type',
  description:
    'The catalog, sorted by type: version, category, description, retention, the services that emit it and the reference of its payload schema. Served from the same code that validates every event.',
  input: NoInput,
  output: EventCatalogList,
  roles: ALL_ROLES,
  errors: [],
  http: { method: 'GET', path: '/event-catalog' },
  tenant: 'any',
});

export const getEventType = defineOperation({
  name: 'getEventType',
  handler: 'gateway',
  tag: 'event catalog',
  summary: 'One event type with the JSON Schema of its payload',
  description: 'The schema is the one every envelope of this type is validated against, on publish and on receipt.',
  input: EventTypeRef,
  output: EventCatalogEntryDetail,
  roles: ALL_ROLES,
  errors: [],
  http: { method: 'GET', path: '/event-catalog/{type}' },
  tenant: 'any',
});

export const listEventLog = defineOperation({
  name: 'listEventLog',
  handler: 'gateway',
  tag: 'event log',
  summary: 'Events that happened in this tenant, newest first',
  description:
    'Every service’s stored events, merged newest first, filtered by correlation id (the X-Request-Id that caused them), ' +
    'aggregate id or type. A service that does not answer fails the request (503/504) rather than returning a log with ' +
    'silent holes.\n\n' +
    'For administrators only: payloads hold what the services tell each other. The fields the catalog marks sensitive ' +
    '(`sensitiveFields` of `GET /event-catalog/{type}`, e.g. the code of an OTP) read `[sealed]`.',
  input: EventLogQuery,
  output: PageOf(EventLogItem),
  roles: ['admin'],
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/event-log' },
});

export const listServiceEventLog = defineOperation({
  name: 'listServiceEventLog',
  handler: 'each-service',
  tag: 'event log',
  summary: 'One service’s stored events, newest first',
  description: 'Answered by every service for the events it emitted, sensitive fields redacted; the gateway merges the pages.',
  input: EventLogQuery,
  output: PageOf(EventLogItem),
  roles: ['admin'],
  errors: [ErrorCode.INVALID_CURSOR],
});

export const listDeadLetters = defineOperation({
  name: 'listDeadLetters',
  handler: 'gateway',
  tag: 'dead letters',
  summary: 'Messages of this tenant that could not be processed',
  description:
    'Messages parked after their retries (EVENT_RETRY_DELAYS_MS) in any service, newest first, with the reason, the last ' +
    'error and the number of attempts. Nothing is dropped silently: replay one once its cause is fixed. The sensitive ' +
    'fields of an envelope’s payload read `[sealed]` (a replay sends the message as it was received).',
  input: DeadLetterQuery,
  output: PageOf(DeadLetterItem),
  roles: ['admin'],
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/admin/dead-letters' },
});

export const listServiceDeadLetters = defineOperation({
  name: 'listServiceDeadLetters',
  handler: 'each-service',
  tag: 'dead letters',
  summary: 'One service’s dead letters, newest first',
  description: 'Answered by every service for its own queues; the gateway merges the pages.',
  input: DeadLetterQuery,
  output: PageOf(DeadLetterItem),
  roles: ['admin'],
  errors: [ErrorCode.INVALID_CURSOR],
});

export const replayDeadLetter = defineOperation({
  name: 'replayDeadLetter',
  handler: 'gateway',
  tag: 'dead letters',
  summary: 'Send a dead letter back to its queue',
  description:
    'Publishes the message again to the queue it failed in, with fresh attempts. Replaying twice is harmless: a dead letter ' +
    'is replayed once (the answer shows `replayedAt`), and consumers ignore a message they already processed. If it fails ' +
    'again it comes back as a new dead letter.',
  input: DeadLetterRef,
  output: DeadLetterItem,
  roles: ['admin'],
  errors: [],
  http: { method: 'POST', path: '/admin/dead-letters/{id}/replay' },
});

export const replayServiceDeadLetter = defineOperation({
  name: 'replayServiceDeadLetter',
  handler: 'each-service',
  tag: 'dead letters',
  summary: 'Replay one of this service’s dead letters',
  description: 'The id belongs to exactly one service; the others answer NOT_FOUND.',
  input: DeadLetterRef,
  output: DeadLetterItem,
  roles: ['admin'],
  errors: [],
});

export const PLATFORM_OPERATIONS = [
  createTenant,
  getTenantRegistration,
  getSystemStatus,
  getServiceStatus,
  listEventTypes,
  getEventType,
  listEventLog,
  listServiceEventLog,
  listDeadLetters,
  listServiceDeadLetters,
  replayDeadLetter,
  replayServiceDeadLetter,
];
