import { defineOperation, Operation } from '../../contract/operation';
import { TENANT_ROLES } from '../roles';
import { StreamMessage, StreamQuery } from './stream.dto';

export const openStream = defineOperation({
  name: 'openStream',
  handler: 'gateway',
  tag: 'realtime',
  summary: 'Changes of the tenant’s contracts, events, tickets, appointments, jobs and inbox as they happen',
  description: [
    'A server-sent event stream (`text/event-stream`): one message per object that changed, several changes of one object ' +
      'within 250 ms (`STREAM_COALESCE_MS`) coalesced into one message listing their types. Clients refetch what a message names (the summary is a hint, ' +
      'not the object). Browsers: `new EventSource("/v1/stream?access_token=<JWT>")` (EventSource cannot send headers; the ' +
      'token is never written to logs); anything else sends `Authorization: Bearer <JWT>`. Refusals (400, 401, 403, 429, 503) ' +
      'come before the stream starts, as problem+json; a stream ends when its token expires (reconnect with a fresh one).',
    '',
    '**Messages.** `id: <opaque resume id>`, `event: <topic>` (`event`, `contract`, `ticket`, `appointment`, `job`, `inbox`), ' +
      '`data: {"topic":"ticket","id":"<uuid>","types":["SERVICE_TICKET_CREATED","SERVICE_TICKET_STATUS_CHANGED"],' +
      '"at":"<ISO time of the last change>","summary":{"status":"open","ticketNumber":"TKT-2027-00001",…}}` (the schema below). ' +
      'Changes of one object arrive in order. Summaries hold no secret: no customer contact, no payload value the catalog marks ' +
      'sensitive; an inbox item (`inbox`) goes only to the user it is addressed to. Each topic goes to the roles that may read its ' +
      'objects (`jobs`: not technicians); asking for a topic the caller may not read is 403.',
    '',
    '**Control.** The stream starts with `retry: 2000` and an `id:` line of the current position (no event: it only sets the ' +
      'position a reconnection resumes from); a comment `: ping` (with the current `id:`) comes every 15 s. `event: reset` ' +
      '(`data: {"reason": "unknown-id" | "too-old" | "slow-client" | "broker-reconnected"}`) means changes may have been ' +
      'missed: refetch everything shown. A client that does not read fast enough is sent `reset` and disconnected.',
    '',
    '**Resume.** Reconnect with the `Last-Event-ID` header (EventSource does it by itself) or `?lastEventId=`: the changes ' +
      'after that id are sent first (coalesced per object), then live ones; an id older than 5 minutes, or that this gateway ' +
      'cannot place (it started after it, or has forgotten it), gets `event: reset` instead. Any gateway replica resumes any ' +
      'other’s id (every replica hears every change).',
  ].join('\n'),
  input: StreamQuery,
  output: StreamMessage,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/stream', stream: true },
});

export const REALTIME_OPERATIONS: readonly Operation[] = [openStream];
