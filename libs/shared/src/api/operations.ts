import { checkRegistry, Operation } from '../contract/operation';
import { EVENTS_OPERATIONS } from './events/events.operations';
import { JTD_OPERATIONS } from './jtd/jtd.operations';
import { MACHINE_CREDENTIAL_OPERATIONS } from './platform/machine-credentials.operations';
import { PLATFORM_OPERATIONS } from './platform/platform.operations';
import { REALTIME_OPERATIONS } from './realtime/stream.operations';
import { TICKETS_OPERATIONS } from './tickets/tickets.operations';

/**
 * Every operation of the system, in the order of the document. The gateway serves the HTTP ones, each
 * service answers its own, the OpenAPI document and the typed client are generated from this list.
 */
export const OPERATIONS: readonly Operation[] = [
  ...PLATFORM_OPERATIONS,
  ...MACHINE_CREDENTIAL_OPERATIONS,
  ...EVENTS_OPERATIONS,
  ...TICKETS_OPERATIONS,
  ...JTD_OPERATIONS,
  ...REALTIME_OPERATIONS,
];
checkRegistry(OPERATIONS);

/** The document's tags, in order, with what each groups. */
export const API_TAGS = [
  { name: 'platform', description: 'The tenant registry' },
  { name: 'system', description: 'Health of the whole system as the gateway sees it' },
  { name: 'machine identities', description: 'API keys for VaNi (the AI agent) and integrations: their calls act as vani or system with explicit roles' },
  { name: 'contracts', description: 'Contracts and bookings: drafts, review, activation into events, spare-part balance' },
  { name: 'events', description: 'Contract events (service visits, spare parts, billing) with TaskIDs: status moves, people, sub-tasks, audit, payments' },
  { name: 'activities', description: 'Activities of a contract event: its sub-tasks carried out by someone (assign, start, complete, issues)' },
  { name: 'kits', description: 'Kit templates and kits: assignment to activities, preparation, check-out, return, issues, history' },
  { name: 'cockpit', description: 'What is due, overdue and next, per event type' },
  { name: 'settings', description: 'Per-tenant status flows and delivery settings (system defaults until overridden)' },
  { name: 'tickets', description: 'Service tickets (TKT numbers): one contract, several events per visit; evidence and issues' },
  { name: 'appointments', description: 'Visits on the calendar: staff offers, dispatch, check-in and check-out' },
  { name: 'jobs', description: 'Jobs to do (JTD): notifications and tasks, their delivery, status history and templates' },
  { name: 'inbox', description: 'The caller’s in-app notifications' },
  { name: 'webhooks', description: 'Delivery reports from providers (authenticated by the tenant’s webhook secret, not a token)' },
  { name: 'event catalog', description: 'Every domain event type and the schema of its payload' },
  { name: 'event log', description: 'Domain events that happened, by correlation, aggregate or type' },
  { name: 'dead letters', description: 'Messages that could not be processed, and their replay' },
  { name: 'realtime', description: 'Changes as they happen, as a server-sent event stream' },
] as const;
