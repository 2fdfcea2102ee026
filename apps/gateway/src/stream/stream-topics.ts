import { getContract } from '@app/shared/api/events/contracts.operations';
import { getEvent } from '@app/shared/api/events/contract-events.operations';
import { getJob } from '@app/shared/api/jtd/jobs.operations';
import { listInbox } from '@app/shared/api/jtd/jtd.operations';
import { STREAM_TOPICS, StreamSummary, StreamTopic, StreamTopicName } from '@app/shared/api/realtime/stream.dto';
import { getAppointment } from '@app/shared/api/tickets/appointments.operations';
import { getTicket } from '@app/shared/api/tickets/tickets.operations';
import { allEventDefinitions } from '@app/shared/catalog/event-catalog';
import { Operation } from '@app/shared/contract/operation';
import { RequestContext } from '@app/shared/context/request-context';
import { mayCall } from '@app/shared/rpc/handles.decorator';

/** One change of one object, as the stream knows it: what the envelope says, reduced to safe facts. */
export interface StreamChange {
  tenantId: string;
  topic: StreamTopic;
  /** The object that changed. */
  id: string;
  type: string;
  /** When it happened (the envelope's occurredAt). */
  at: string;
  summary: StreamSummary;
  /** Inbox items: the only user who may see it. */
  recipient?: string;
}

type Payload = Record<string, unknown>;
/** Where a change lands: its topic, object, summary and (inbox) recipient; undefined when the payload does not say. */
type Locate = (p: Payload) => { topic: StreamTopic; id: unknown; summary: StreamSummary; recipient?: unknown } | undefined;

/**
 * Summaries are built from this allowlist only: a field is copied when it is a short string (or an integer),
 * so a sealed value (`{ $sealed }`), a customer's contact, free text (reasons, notes, bodies) or a location
 * never reaches a stream. `from` names the payload fields that may hold the value, first present wins.
 */
const FIELDS: Array<[keyof StreamSummary, string[]]> = [
  ['status', ['status', 'newStatus']],
  ['previousStatus', ['previousStatus']],
  ['title', ['title']],
  ['contractNumber', ['contractNumber']],
  ['ticketNumber', ['ticketNumber']],
  ['taskId', ['taskId']],
  ['eventType', ['eventType']],
  ['scheduledDate', ['scheduledDate', 'newDate']],
  ['startAt', ['startAt', 'newStartAt']],
  ['endAt', ['endAt', 'newEndAt']],
  ['contractId', ['contractId']],
  ['ticketId', ['ticketId']],
  ['appointmentId', ['appointmentId']],
  ['eventId', ['eventId']],
  ['jtdId', ['jtdId']],
  ['channel', ['channel']],
  ['sourceType', ['sourceType']],
  ['totalEvents', ['totalEvents']],
];
const MAX_SUMMARY_STRING = 200;

function summaryOf(p: Payload, keep: ReadonlyArray<keyof StreamSummary>): StreamSummary {
  const out: Record<string, string | number> = {};
  for (const [field, from] of FIELDS) {
    if (!keep.includes(field)) continue;
    for (const name of from) {
      const v = p[name];
      if ((typeof v === 'string' && v.length > 0 && v.length <= MAX_SUMMARY_STRING) || (typeof v === 'number' && Number.isSafeInteger(v))) {
        out[field] = v;
        break;
      }
    }
  }
  return out as StreamSummary;
}

const at =
  (topic: StreamTopic, idField: string, keep: ReadonlyArray<keyof StreamSummary>): Locate =>
  (p) => ({ topic, id: p[idField], summary: summaryOf(p, keep) });

const CONTRACT_FIELDS = ['status', 'title', 'contractNumber', 'totalEvents'] as const;
const EVENT_FIELDS = ['status', 'previousStatus', 'title', 'taskId', 'eventType', 'scheduledDate', 'contractId'] as const;
const TICKET_FIELDS = ['status', 'previousStatus', 'ticketNumber', 'contractId'] as const;
const APPOINTMENT_FIELDS = ['status', 'startAt', 'endAt', 'contractId', 'ticketId'] as const;

/**
 * Which changes the stream carries, by the catalog's category, with the types of a category that land
 * elsewhere. `null`: not streamed, and why. Every category of the catalog must be here
 * (`stream-topics.spec.ts`), so a new kind of event gets a decision.
 */
const BY_CATEGORY: Record<string, { locate: Locate | null; types?: Record<string, Locate | null> }> = {
  booking: {
    locate: (p) => ({ topic: 'contract', id: p.bookingId ?? p.contractId, summary: summaryOf(p, CONTRACT_FIELDS) }),
  },
  contract_event: {
    locate: at('event', 'eventId', EVENT_FIELDS),
    types: { EVENT_INSTANCES_GENERATED: at('contract', 'contractId', CONTRACT_FIELDS) },
  },
  // An activity is one of its event's sub-tasks, and a kit moves with an activity: both change what the event shows.
  activity: { locate: at('event', 'eventId', []) },
  kit: { locate: at('event', 'eventId', []) },
  service_ticket: { locate: at('ticket', 'ticketId', TICKET_FIELDS) },
  // Evidence and staff moves change what a ticket or a visit shows; their own status is not the object's.
  evidence: { locate: at('ticket', 'ticketId', ['contractId']) },
  appointment: { locate: at('appointment', 'appointmentId', APPOINTMENT_FIELDS) },
  staff_assignment: { locate: at('appointment', 'appointmentId', ['contractId', 'ticketId']) },
  // A location is the visit's: confirming it or reporting an issue with it changes what the visit shows.
  location: { locate: at('appointment', 'appointmentId', ['contractId']) },
  issue: {
    // The most specific object the issue names.
    locate: (p) => {
      const [topic, id] = p.ticketId
        ? ['ticket', p.ticketId]
        : p.appointmentId
          ? ['appointment', p.appointmentId]
          : p.eventId
            ? ['event', p.eventId]
            : ['contract', p.contractId];
      return { topic: topic as StreamTopic, id, summary: summaryOf(p, ['contractId']) };
    },
  },
  jtd: {
    locate: null,
    types: {
      JTD_STATUS_CHANGED: at('job', 'jtdId', ['status', 'previousStatus', 'channel', 'sourceType']),
      // The title only: the body is rendered content, for the inbox itself.
      INAPP_NOTIFICATION_CREATED: (p) => ({ topic: 'inbox', id: p.notificationId, recipient: p.userId, summary: summaryOf(p, ['title', 'jtdId']) }),
      // A request, not a job yet (its jobs show up as they move); it carries template values, some sealed.
    },
  },
  // Tenants are not a tenant's data.
  platform: { locate: null },
};

function locatorOf(type: string, category: string): Locate | null {
  const entry = BY_CATEGORY[category];
  if (!entry) return null;
  return entry.types && type in entry.types ? entry.types[type] : entry.locate;
}

/** The catalog categories the stream has decided about (for the spec that keeps the table complete). */
export const STREAM_CATEGORIES = Object.keys(BY_CATEGORY);

const LOCATORS = new Map<string, Locate>();
for (const def of allEventDefinitions()) {
  const locate = locatorOf(def.type, def.category);
  if (locate) LOCATORS.set(def.type, locate);
}

/** The event types the stream maps, from the catalog: what a gateway replica's stream queue binds. */
export function streamedEventTypes(): string[] {
  return [...LOCATORS.keys()].sort();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The change an envelope describes, or undefined for one the stream does not carry or cannot place (a type
 * it does not map, no tenant, no object id). The broker only holds what producers' outboxes validated; this
 * still reads the envelope defensively, since a malformed message must cost nothing but itself.
 */
export function changeOf(envelope: unknown): StreamChange | undefined {
  if (!envelope || typeof envelope !== 'object') return undefined;
  const e = envelope as { type?: unknown; tenantId?: unknown; occurredAt?: unknown; timestamp?: unknown; payload?: unknown };
  const locate = typeof e.type === 'string' ? LOCATORS.get(e.type) : undefined;
  if (!locate || typeof e.tenantId !== 'string' || !UUID.test(e.tenantId) || !e.payload || typeof e.payload !== 'object') return undefined;
  const payload = e.payload as Payload;
  if (payload.tenantId !== undefined && payload.tenantId !== e.tenantId) return undefined;
  const where = locate(payload);
  if (!where || typeof where.id !== 'string' || !UUID.test(where.id)) return undefined;
  if (where.topic === 'inbox' && (typeof where.recipient !== 'string' || !UUID.test(where.recipient))) return undefined;
  const when = typeof e.occurredAt === 'string' ? e.occurredAt : typeof e.timestamp === 'string' ? e.timestamp : new Date().toISOString();
  return {
    tenantId: e.tenantId.toLowerCase(),
    topic: where.topic,
    id: where.id.toLowerCase(),
    type: e.type as string,
    at: when,
    summary: where.summary,
    ...(where.topic === 'inbox' ? { recipient: (where.recipient as string).toLowerCase() } : {}),
  };
}

/** Envelopes about many objects, by type: the payload field listing them, each item placed like a payload of its own. */
const LISTS = new Map<string, string>([['CONTRACT_EVENTS_CREATED', 'events']]);

/**
 * The changes an envelope describes: one per object (an activation's CONTRACT_EVENTS_CREATED lists up to 250
 * events, each a change of its event as CONTRACT_EVENT_CREATED would be), none for one the stream does not
 * carry or cannot place. An item is read as defensively as an envelope, with the envelope's tenant check.
 */
export function changesOf(envelope: unknown): StreamChange[] {
  const e = (envelope && typeof envelope === 'object' ? envelope : {}) as { type?: unknown; payload?: unknown };
  const list = typeof e.type === 'string' ? LISTS.get(e.type) : undefined;
  if (!list) {
    const change = changeOf(envelope);
    return change ? [change] : [];
  }
  const payload = (e.payload && typeof e.payload === 'object' ? e.payload : {}) as Payload;
  const items = payload[list];
  if (!Array.isArray(items)) return [];
  const changes: StreamChange[] = [];
  for (const item of items) {
    const change = item && typeof item === 'object' ? changeOf({ ...e, payload: { ...item, tenantId: payload.tenantId } }) : undefined;
    if (change) changes.push(change);
  }
  return changes;
}

/** Who may receive a topic: whoever may read its objects through the REST operations. */
const READ_OPERATION: Record<StreamTopic, Operation> = {
  event: getEvent,
  contract: getContract,
  ticket: getTicket,
  appointment: getAppointment,
  job: getJob,
  inbox: listInbox,
};

/**
 * The topics a caller gets: those asked for (`?topics=`, default all), each only if the caller's roles may
 * read its objects. Answers the topics the caller asked for by name and may not read, for a 403.
 */
export function topicsFor(ctx: Pick<RequestContext, 'roles'>, asked: string | undefined): { topics: Set<StreamTopic>; refused: StreamTopicName[] } {
  const names = asked ? ([...new Set(asked.split(','))] as StreamTopicName[]) : (Object.keys(STREAM_TOPICS) as StreamTopicName[]);
  const topics = new Set<StreamTopic>();
  const refused: StreamTopicName[] = [];
  for (const name of names) {
    const topic = STREAM_TOPICS[name];
    if (mayCall(READ_OPERATION[topic], ctx)) topics.add(topic);
    else if (asked) refused.push(name);
  }
  return { topics, refused };
}
