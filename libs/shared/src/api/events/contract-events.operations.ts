import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { FIELD_ROLES, OPERATORS, TENANT_ROLES } from '../roles';
import { EventIdParams } from './common.dto';
import {
  CreateEventTaskDto,
  EventAuditQuery,
  ListEventsQuery,
  RecordPaymentDto,
  SetEventAssigneesDto,
  TransitionEventDto,
  UpdateEventDto,
  UpdateEventTaskDto,
} from './contract-events.dto';
import { ContractEventDetailView, ContractEventView, EventAuditEntryView, EventTaskView, EventTransitionsView } from './contract-events.views';

export const listEvents = defineOperation({
  name: 'listEvents',
  handler: 'events',
  tag: 'events',
  summary: 'Contract events ordered by scheduled date',
  description:
    'Filters: contract, type, one or more statuses (comma separated), a person on the event in any role, and a range of ' +
    'scheduled instants. Keyset pagination on (scheduledDate, id): pass `nextCursor` back as `cursor`; a cursor this list did ' +
    'not give out answers 400 INVALID_CURSOR.',
  input: ListEventsQuery,
  output: PageOf(ContractEventView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/events' },
});

export const getEvent = defineOperation({
  name: 'getEvent',
  handler: 'events',
  tag: 'events',
  summary: 'One event with its people and sub-tasks',
  description: 'The event, everyone on it, and its sub-tasks in the order they were added.',
  input: EventIdParams,
  output: ContractEventDetailView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/events/{id}' },
});

export const updateEvent = defineOperation({
  name: 'updateEvent',
  handler: 'events',
  tag: 'events',
  summary: 'Reschedule an event and/or edit its notes',
  description:
    'At the `version` read: a missing one is 400 saying what to send, a stale one 409 VERSION_CONFLICT with the current ' +
    'version. A new `scheduledDate` (a day in the contract’s timezone) needs a `reason` (400 otherwise); `originalDate` keeps ' +
    'the planned day, the audit keeps both, and CONTRACT_EVENT_RESCHEDULED is announced. Sending what is already there ' +
    'changes nothing and keeps the version.',
  input: UpdateEventDto,
  output: ContractEventView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT],
  http: { method: 'PATCH', path: '/events/{id}' },
});

export const transitionEvent = defineOperation({
  name: 'transitionEvent',
  handler: 'events',
  tag: 'events',
  summary: 'Move an event to another status of the tenant’s flow',
  description:
    'The tenant’s flow for the event’s type decides (GET /events/{id}/transitions lists the moves from here): a move it does ' +
    'not define answers 422 TRANSITION_NOT_ALLOWED listing the allowed ones; a move that requires a reason answers 422 ' +
    'REASON_REQUIRED without a non-blank one; one that requires evidence answers 422 EVIDENCE_REQUIRED unless every id in ' +
    '`evidenceIds` is evidence recorded (and not rejected) on a ticket of this event. Ids in `evidenceIds` are checked on ' +
    'every move: one the tenant has no evidence of answers 404 naming it (evidence recorded moments ago may take a moment ' +
    'to be known here), one on another event or rejected answers 422. A move gated on sub-tasks answers 422 ' +
    'BUSINESS_RULE while a required one is open. Billing’s paid and partial_payment come from recording payments, never by ' +
    'hand. `version` is the one read (400 when missing, 409 VERSION_CONFLICT when stale); send an Idempotency-Key to retry safely.',
  input: TransitionEventDto,
  output: ContractEventView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.REASON_REQUIRED, ErrorCode.EVIDENCE_REQUIRED, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/events/{id}/transitions', idempotent: true },
});

export const listEventTransitions = defineOperation({
  name: 'listEventTransitions',
  handler: 'events',
  tag: 'events',
  summary: 'The moves allowed from the event’s current status',
  description:
    'From the tenant’s flow for the event’s type, with what each move needs (reason, evidence, sub-tasks done) and whether a ' +
    'person may make it (`manual`). The `version` is the one to send with the move.',
  input: EventIdParams,
  output: EventTransitionsView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/events/{id}/transitions' },
});

export const setEventAssignees = defineOperation({
  name: 'setEventAssignees',
  handler: 'events',
  tag: 'events',
  summary: 'Replace the people on an event',
  description:
    'The body is the full new list, `[{ userId, name?, role }]` with role assignee, account_manager or observer; `[]` removes ' +
    'everyone. A person may hold several roles but each role once (400 otherwise). Sending the current list changes nothing; ' +
    'otherwise the change is audited and CONTRACT_EVENT_ASSIGNED announced.',
  input: SetEventAssigneesDto,
  output: ContractEventView,
  roles: OPERATORS,
  errors: [],
  http: { method: 'PUT', path: '/events/{id}/assignees', bodyField: 'assignees' },
});

export const createEventTask = defineOperation({
  name: 'createEventTask',
  handler: 'events',
  tag: 'events',
  summary: 'Add a sub-task (checklist item, billing to-do) to an event',
  description:
    'A `required` sub-task blocks the moves the tenant’s flow gates on sub-tasks (service completion by default) while it is ' +
    'open. Sub-tasks created by VaNi or the system are marked `isAutoTriggered`.',
  input: CreateEventTaskDto,
  output: EventTaskView,
  roles: FIELD_ROLES,
  errors: [],
  http: { method: 'POST', path: '/events/{id}/tasks', status: 201, idempotent: true },
});

export const updateEventTask = defineOperation({
  name: 'updateEventTask',
  handler: 'events',
  tag: 'events',
  summary: 'Edit or tick off a sub-task',
  description:
    'Changes the fields given; ticking it off records when and announces EVENT_TASK_COMPLETED. Each change is audited on the event. ' +
    'A sub-task created as an activity is ticked off only by completing the activity (422 BUSINESS_RULE here).',
  input: UpdateEventTaskDto,
  output: EventTaskView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'PATCH', path: '/events/{id}/tasks/{taskId}' },
});

export const listEventAudit = defineOperation({
  name: 'listEventAudit',
  handler: 'events',
  tag: 'events',
  summary: 'Every change of an event, oldest first',
  description:
    'One entry per changed field: status moves (with the seconds spent in the previous status), reschedules, people, ' +
    'sub-tasks, notes and payments, with who (actor and source) and why. Keyset pagination; a cursor this list did not give ' +
    'out answers 400 INVALID_CURSOR.',
  input: EventAuditQuery,
  output: PageOf(EventAuditEntryView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/events/{id}/audit' },
});

export const recordEventPayment = defineOperation({
  name: 'recordEventPayment',
  handler: 'events',
  tag: 'events',
  summary: 'Record money received on a billing event',
  description:
    'Billing events only (422 BUSINESS_RULE otherwise). The amount must be more than zero and at most what is outstanding ' +
    '(422 saying how much is). Settled in full the event moves to paid, in part to partial_payment, each move checked against ' +
    'the tenant’s flow (422 TRANSITION_NOT_ALLOWED leaves the money untouched). At the `version` read (409 when stale); send ' +
    'an Idempotency-Key to retry safely. Partial payments add up exactly (decimal cents). A `reference` already recorded on the ' +
    'contract is the same payment: the same amount on the same event answers the event as it is (nothing recorded twice, any ' +
    '`version`), anything else with that reference is 409 CONFLICT. Publishes PAYMENT_RECORDED (amount, method, reference, paidAt, ' +
    'the running total and balance of the event and of the contract), which sends the customer the payment_received message.',
  input: RecordPaymentDto,
  output: ContractEventView,
  roles: OPERATORS,
  errors: [ErrorCode.VERSION_CONFLICT, ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.BUSINESS_RULE, ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/events/{id}/payments', idempotent: true },
});

export const CONTRACT_EVENTS_OPERATIONS = [
  listEvents,
  getEvent,
  updateEvent,
  transitionEvent,
  listEventTransitions,
  setEventAssignees,
  createEventTask,
  updateEventTask,
  listEventAudit,
  recordEventPayment,
];
