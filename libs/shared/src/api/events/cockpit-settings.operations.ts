import { defineOperation } from '../../contract/operation';
import { ErrorCode } from '../../errors/domain-error';
import { TENANT_ROLES } from '../roles';
import { CockpitQuery } from './contract-events.dto';
import { CockpitView } from './contract-events.views';
import { EventStatusFlowView, EventTypeParams, ReplaceEventStatusesDto } from './event-status-settings.dto';

export const getCockpit = defineOperation({
  name: 'getCockpit',
  handler: 'events',
  tag: 'cockpit',
  summary: 'What is due, overdue and next, per event type',
  description:
    'Per event type: how many events are in each cockpit bucket (upcoming, due, overdue, in_progress, done, cancelled; the ' +
    'tenant’s flow says which bucket each status counts in) and in each status, the 10 most overdue and the next 10 upcoming ' +
    'or due from now. `from` and `to` limit it to events scheduled in that range. `appointments`: the tenant’s next 10 visits ' +
    'not over and not yet ended (from the tickets service’s events; a visit shows up moments after it is booked).',
  input: CockpitQuery,
  output: CockpitView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/cockpit' },
});

export const getEventStatuses = defineOperation({
  name: 'getEventStatuses',
  handler: 'events',
  tag: 'settings',
  summary: 'The tenant’s status flow of an event type',
  description:
    'Statuses and transitions of service, spare_part or billing events for this tenant: its own if it saved one ' +
    '(`isTenantOverride`), the system defaults otherwise. The answer can be edited and sent back with PUT as it is.',
  input: EventTypeParams,
  output: EventStatusFlowView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/event-statuses/{eventType}' },
});

export const replaceEventStatuses = defineOperation({
  name: 'replaceEventStatuses',
  handler: 'events',
  tag: 'settings',
  summary: 'Replace the tenant’s status flow of an event type',
  description:
    'The whole flow: exactly one initial status, transitions only between listed statuses (400 naming the field otherwise). ' +
    'Flags left out are false, so a transition needs only `from` and `to`; `dueLeadDays` left out keeps the current one. A ' +
    'status that an event of the tenant is in cannot be dropped (422 BUSINESS_RULE listing `statusesInUse`). Moves are checked ' +
    'against the new flow at once.',
  input: ReplaceEventStatusesDto,
  output: EventStatusFlowView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'PUT', path: '/settings/event-statuses/{eventType}' },
});

export const resetEventStatuses = defineOperation({
  name: 'resetEventStatuses',
  handler: 'events',
  tag: 'settings',
  summary: 'Go back to the system’s status flow of an event type',
  description:
    'Drops the tenant’s flow; the system defaults apply again. Refused (422 BUSINESS_RULE listing `statusesInUse`) while an ' +
    'event of the tenant is in a status the defaults do not have: move it first. Resetting a flow that was never changed changes nothing.',
  input: EventTypeParams,
  output: EventStatusFlowView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'DELETE', path: '/settings/event-statuses/{eventType}' },
});

export const COCKPIT_SETTINGS_OPERATIONS = [getCockpit, getEventStatuses, replaceEventStatuses, resetEventStatuses];
