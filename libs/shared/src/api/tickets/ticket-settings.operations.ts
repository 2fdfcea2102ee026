import { defineOperation } from '../../contract/operation';
import { ErrorCode } from '../../errors/domain-error';
import { NoInput } from '../platform/messaging.dto';
import { TENANT_ROLES } from '../roles';
import { CheckInSettingsView, EvidenceTypesView, ReplaceCheckInSettingsDto, ReplaceEvidenceTypesDto } from './field-settings.dto';
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

export const getEvidenceTypes = defineOperation({
  name: 'getEvidenceTypes',
  handler: 'tickets',
  tag: 'settings',
  summary: 'The tenant’s evidence types',
  description: 'The types evidence may be recorded as: the six built-in ones (`isTenantOverride: false`) until the tenant sets its own list.',
  input: NoInput,
  output: EvidenceTypesView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/evidence-types' },
});

export const replaceEvidenceTypes = defineOperation({
  name: 'replaceEvidenceTypes',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Replace the tenant’s evidence types',
  description:
    'Replaces the list as a whole (a GET can be PUT back without `isBuiltIn`): add types of its own (with or without a file), disable any. ' +
    'Codes are unique and a built-in type keeps whether it takes a file (400). A type recorded evidence uses cannot leave the list ' +
    '(422 TYPE_IN_USE naming it): disable it instead; records keep their type. Recording evidence of a type not enabled here is 422.',
  input: ReplaceEvidenceTypesDto,
  output: EvidenceTypesView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'PUT', path: '/settings/evidence-types' },
});

export const resetEvidenceTypes = defineOperation({
  name: 'resetEvidenceTypes',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Back to the built-in evidence types',
  description: 'Forgets the tenant’s list; refused (422 TYPE_IN_USE) while evidence of one of its own types is recorded. Resetting twice is harmless.',
  input: NoInput,
  output: EvidenceTypesView,
  roles: ['admin'],
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'DELETE', path: '/settings/evidence-types' },
});

export const getCheckInSettings = defineOperation({
  name: 'getCheckInSettings',
  handler: 'tickets',
  tag: 'settings',
  summary: 'The tenant’s check-in radius',
  description: 'A check-in farther than `radiusMeters` from the visit’s location is accepted but flagged (500 m until the tenant sets its own).',
  input: NoInput,
  output: CheckInSettingsView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/settings/check-in' },
});

export const replaceCheckInSettings = defineOperation({
  name: 'replaceCheckInSettings',
  handler: 'tickets',
  tag: 'settings',
  summary: 'Set the tenant’s check-in radius',
  description: 'Metres, 10 to 100,000; applies to check-ins from now on.',
  input: ReplaceCheckInSettingsDto,
  output: CheckInSettingsView,
  roles: ['admin'],
  errors: [],
  http: { method: 'PUT', path: '/settings/check-in' },
});

export const TICKET_SETTINGS_OPERATIONS = [
  getTicketStatuses,
  replaceTicketStatuses,
  resetTicketStatuses,
  getAppointmentStatuses,
  replaceAppointmentStatuses,
  resetAppointmentStatuses,
  getEvidenceTypes,
  replaceEvidenceTypes,
  resetEvidenceTypes,
  getCheckInSettings,
  replaceCheckInSettings,
];
