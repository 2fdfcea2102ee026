import { defineOperation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { FIELD_ROLES, OPERATORS, TENANT_ROLES } from '../roles';
import {
  AcceptAssignmentDto,
  AppointmentRef,
  AssignmentRef,
  CheckInDto,
  CheckOutDto,
  CreateAppointmentDto,
  DeclineAssignmentDto,
  EnRouteDto,
  ListAppointmentsQuery,
  NoShowDto,
  OfferAssignmentDto,
  RescheduleAppointmentDto,
  TransitionAppointmentDto,
} from './appointments.dto';
import { AppointmentDetailView, AppointmentView } from './appointments.views';
import { IssueReportView, ListIssuesQuery, ReportIssueDto } from './issues.dto';
import { ConfirmLocationDto, LocationIssueView, ReportLocationIssueDto } from './locations.dto';

const DOUBLE_BOOKING =
  'A technician is never booked twice: an overlap with another open visit they accepted, or were offered and have not yet ' +
  'answered, answers 409 DOUBLE_BOOKING naming the clashing appointment.';
const ACTS_FOR = 'A technician acts for themselves; admins and agents may act for any technician (403 otherwise).';
const STEP = (from: string) => `Allowed only while the assignment is ${from} (422 TRANSITION_NOT_ALLOWED otherwise).`;

export const createAppointment = defineOperation({
  name: 'createAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Book a visit for a ticket or for events of one contract',
  description:
    'Names an open ticket of the contract (the visit covers all its events unless `eventIds` picks some), or service and ' +
    'spare_part events of the contract. The contract must be active. Each assignee is offered the visit, to accept or ' +
    `decline before \`responseDeadline\`. ${DOUBLE_BOOKING}`,
  input: CreateAppointmentDto,
  output: AppointmentView,
  roles: OPERATORS,
  errors: [ErrorCode.NOT_FOUND, ErrorCode.BUSINESS_RULE, ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/appointments', status: 201, idempotent: true },
});

export const listAppointments = defineOperation({
  name: 'listAppointments',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'The calendar: visits overlapping from..to, in start order',
  description: 'Filtered by technician (visits they are offered or on), status, contract and ticket; `to` must be after `from`.',
  input: ListAppointmentsQuery,
  output: PageOf(AppointmentView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/appointments' },
});

export const getAppointment = defineOperation({
  name: 'getAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'One visit with its assignments and reschedule history',
  description: 'Every assignment, answered or not, with what the technician did in the field.',
  input: AppointmentRef,
  output: AppointmentDetailView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/appointments/{id}' },
});

export const transitionAppointment = defineOperation({
  name: 'transitionAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Move a visit along the tenant’s appointment flow',
  description:
    'Only the moves the flow defines from the current status (422 TRANSITION_NOT_ALLOWED); cancelling needs a `reason` ' +
    '(422 REASON_REQUIRED). Rescheduling has its own operation (it needs the new slot). Confirming messages the customer; ' +
    'cancelling or completing withdraws the offers still open. With `version`, a stale one answers 409 VERSION_CONFLICT.',
  input: TransitionAppointmentDto,
  output: AppointmentView,
  roles: OPERATORS,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.REASON_REQUIRED, ErrorCode.VERSION_CONFLICT],
  http: { method: 'POST', path: '/appointments/{id}/transitions', idempotent: true },
});

export const rescheduleAppointment = defineOperation({
  name: 'rescheduleAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Move a visit to a new slot',
  description:
    `The old slot is kept in \`reschedules\`; the visit becomes rescheduled when the flow allows it (a completed or cancelled visit does not move: 422). ${DOUBLE_BOOKING} ` +
    'With `version`, a stale one answers 409 VERSION_CONFLICT.',
  input: RescheduleAppointmentDto,
  output: AppointmentDetailView,
  roles: OPERATORS,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.REASON_REQUIRED, ErrorCode.VERSION_CONFLICT, ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/appointments/{id}/reschedule', idempotent: true },
});

export const offerAssignment = defineOperation({
  name: 'offerAssignment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Offer a visit to a technician',
  description:
    'The offer holds the technician’s time until it is answered or `responseDeadline` passes (default 24 hours, or the ' +
    `start of the visit if sooner; it must be in the future). ${DOUBLE_BOOKING} One live offer per technician and visit ` +
    '(409 ALREADY_OFFERED); a closed visit is not offered (422 APPOINTMENT_CLOSED).',
  input: OfferAssignmentDto,
  output: AppointmentView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE, ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/appointments/{id}/assignments', status: 201, idempotent: true },
});

export const acceptAssignment = defineOperation({
  name: 'acceptAssignment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Accept an offered visit',
  description:
    `${ACTS_FOR} An offer answered after its deadline has expired (422 OFFER_EXPIRED). The technician’s calendar is checked ` +
    'again, as other offers may have been accepted meanwhile (409 DOUBLE_BOOKING). Accepting schedules the visit and assigns ' +
    `the ticket when the flows allow it. ${STEP('offered')}`,
  input: AcceptAssignmentDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.BUSINESS_RULE, ErrorCode.CONFLICT],
  http: { method: 'POST', path: '/appointments/{id}/assignments/{userId}/accept', idempotent: true },
});

export const declineAssignment = defineOperation({
  name: 'declineAssignment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Decline an offered visit, with a reason',
  description: `${ACTS_FOR} Frees the technician’s time. ${STEP('offered or accepted')}`,
  input: DeclineAssignmentDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/assignments/{userId}/decline', idempotent: true },
});

export const dispatchTechnician = defineOperation({
  name: 'dispatchTechnician',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Dispatch the technician to the visit',
  description: `The office sends the technician out. ${STEP('accepted')}`,
  input: AssignmentRef,
  output: AppointmentView,
  roles: OPERATORS,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/assignments/{userId}/dispatch', idempotent: true },
});

export const reportEnRoute = defineOperation({
  name: 'reportEnRoute',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'The technician is on the way',
  description: `${ACTS_FOR} \`eta\` is when they expect to arrive. ${STEP('accepted or dispatched')}`,
  input: EnRouteDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/assignments/{userId}/en-route', idempotent: true },
});

export const reportNoShow = defineOperation({
  name: 'reportNoShow',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'The technician did not turn up',
  description: `Recorded with who reported it and the consequence (warning, penalty, removal). ${STEP('accepted, dispatched or en_route')}`,
  input: NoShowDto,
  output: AppointmentView,
  roles: OPERATORS,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/assignments/{userId}/no-show', idempotent: true },
});

export const checkInAppointment = defineOperation({
  name: 'checkInAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Check in on site',
  description:
    `Where (\`lat\`, \`lng\`, \`accuracy\` when known) and how presence was established (gps, qrcode, manager, other). ${ACTS_FOR} ` +
    `Starts the visit and the ticket (in_progress) when the flows allow it. ${STEP('accepted, dispatched or en_route')}`,
  input: CheckInDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/check-in', idempotent: true },
});

export const checkOutAppointment = defineOperation({
  name: 'checkOutAppointment',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Check out of the site',
  description:
    'The same fields as check-in, plus `hoursWorked` (default the time since check-in) and `feedback`. Check in first ' +
    `(422 TRANSITION_NOT_ALLOWED otherwise). ${ACTS_FOR} The last technician to check out completes the visit; completing ` +
    'the ticket stays a person’s decision.',
  input: CheckOutDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED],
  http: { method: 'POST', path: '/appointments/{id}/check-out', idempotent: true },
});

export const reportAppointmentIssue = defineOperation({
  name: 'reportAppointmentIssue',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Report an issue on a visit',
  description: 'Announced as EVENT_ISSUE_REPORTED. `eventId`, when given, must be one of the visit’s events (422 NOT_ON_TICKET).',
  input: ReportIssueDto,
  output: IssueReportView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/appointments/{id}/issues', status: 201, idempotent: true },
});

export const listAppointmentIssues = defineOperation({
  name: 'listAppointmentIssues',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Issues reported on a visit, newest first',
  description: '`limit` and `cursor` page through them.',
  input: ListIssuesQuery,
  output: PageOf(IssueReportView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/appointments/{id}/issues' },
});

export const confirmAppointmentLocation = defineOperation({
  name: 'confirmAppointmentLocation',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Confirm where a visit happens',
  description:
    'Keeps the confirmed address and coordinates (default those the visit was booked with; `lat` and `lng` come together, 400 otherwise), ' +
    'who confirmed it and when, the contact on site, instructions and access details. Check-ins are measured from the confirmed ' +
    'coordinates. Announced as LOCATION_CONFIRMED. A visit with no address or coordinates at all is 422 NO_LOCATION; a closed one 422 APPOINTMENT_CLOSED.',
  input: ConfirmLocationDto,
  output: AppointmentView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/appointments/{id}/location/confirm', idempotent: true },
});

export const reportLocationIssue = defineOperation({
  name: 'reportLocationIssue',
  handler: 'tickets',
  tag: 'appointments',
  summary: 'Report an issue with a visit’s location',
  description:
    'Access, facilities, space, safety or other, with its impact (minor, moderate, major). Announced as LOCATION_ISSUE_REPORTED. ' +
    'A check-in farther from the visit’s location than the tenant’s radius (GET /settings/check-in) reports one by itself, with reason CHECK_IN_OUTSIDE_RADIUS.',
  input: ReportLocationIssueDto,
  output: LocationIssueView,
  roles: FIELD_ROLES,
  errors: [],
  http: { method: 'POST', path: '/appointments/{id}/location/issues', status: 201, idempotent: true },
});

export const APPOINTMENTS_OPERATIONS = [
  createAppointment,
  listAppointments,
  getAppointment,
  transitionAppointment,
  rescheduleAppointment,
  offerAssignment,
  acceptAssignment,
  declineAssignment,
  dispatchTechnician,
  reportEnRoute,
  reportNoShow,
  checkInAppointment,
  checkOutAppointment,
  reportAppointmentIssue,
  listAppointmentIssues,
  confirmAppointmentLocation,
  reportLocationIssue,
];
