import { defineOperation } from '../../contract/operation';
import { NoInput } from '../platform/messaging.dto';
import { TENANT_ROLES } from '../roles';
import { ReplaceTicketFlowDto, TicketFlowView } from './status-flow-settings.dto';

const FLOW_RULES =
  'The flow must be whole: unique codes, exactly one initial status, transitions between two different statuses of the ' +
  'flow (400 naming what is wrong). Completing and cancelling hang on the codes completed, cancelled and no_show or on ' +
  'the categories done and cancelled; field steps (accepting an offer, checking in, recording evidence) move tickets and ' +
  'visits only along moves the flow has.';

export const getTicketStatuses = defineOperation({
  name: 'getTicketStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'The tenant’s ticket statuses and transitions',
  description: 'The tenant’s own flow, or the system default (`isTenantOverride: false`) until it sets one.',
  input: NoInput,
  output: TicketFlowView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/ticket-statuses' },
});

export const replaceTicketStatuses = defineOperation({
  name: 'replaceTicketStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Replace the tenant’s ticket flow',
  description: `Replaces statuses and transitions as a whole (a GET can be PUT back). ${FLOW_RULES}`,
  input: ReplaceTicketFlowDto,
  output: TicketFlowView,
  roles: ['admin'],
  errors: [],
  http: { method: 'PUT', path: '/settings/ticket-statuses' },
});

export const resetTicketStatuses = defineOperation({
  name: 'resetTicketStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Back to the system default ticket flow',
  description: 'Forgets the tenant’s own flow; resetting twice is harmless.',
  input: NoInput,
  output: TicketFlowView,
  roles: ['admin'],
  errors: [],
  http: { method: 'DELETE', path: '/settings/ticket-statuses' },
});

export const getAppointmentStatuses = defineOperation({
  name: 'getAppointmentStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'The tenant’s appointment statuses and transitions',
  description: 'The tenant’s own flow, or the system default (`isTenantOverride: false`) until it sets one.',
  input: NoInput,
  output: TicketFlowView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/appointment-statuses' },
});

export const replaceAppointmentStatuses = defineOperation({
  name: 'replaceAppointmentStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Replace the tenant’s appointment flow',
  description: `Replaces statuses and transitions as a whole (a GET can be PUT back). ${FLOW_RULES} Rescheduling moves a visit to \`rescheduled\` when the flow has it.`,
  input: ReplaceTicketFlowDto,
  output: TicketFlowView,
  roles: ['admin'],
  errors: [],
  http: { method: 'PUT', path: '/settings/appointment-statuses' },
});

export const resetAppointmentStatuses = defineOperation({
  name: 'resetAppointmentStatuses',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Back to the system default appointment flow',
  description: 'Forgets the tenant’s own flow; resetting twice is harmless.',
  input: NoInput,
  output: TicketFlowView,
  roles: ['admin'],
  errors: [],
  http: { method: 'DELETE', path: '/settings/appointment-statuses' },
});

export const TICKET_SETTINGS_OPERATIONS = [
  getTicketStatuses,
  replaceTicketStatuses,
  resetTicketStatuses,
  getAppointmentStatuses,
  replaceAppointmentStatuses,
  resetAppointmentStatuses,
];
