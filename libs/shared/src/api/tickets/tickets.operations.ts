import { defineOperation, Operation } from '../../contract/operation';
import { PageOf } from '../../contract/page';
import { ErrorCode } from '../../errors/domain-error';
import { FIELD_ROLES, OPERATORS, TENANT_ROLES } from '../roles';
import { APPOINTMENTS_OPERATIONS } from './appointments.operations';
import { EvidenceFileRefView, EvidenceRef, EvidenceView, ListEvidenceQuery, RecordEvidenceDto, ReviewEvidenceDto, VerifyOtpDto } from './evidence.dto';
import { IssueReportView, ListIssuesQuery, ReportIssueDto } from './issues.dto';
import { TICKET_SETTINGS_OPERATIONS } from './ticket-settings.operations';
import { AddTicketEventsDto, CreateTicketDto, ListTicketsQuery, RemoveTicketEventDto, TicketRef, TransitionTicketDto } from './tickets.dto';
import { TicketDetailView, TicketView } from './tickets.views';

const GROUPING_RULES =
  'A ticket covers one active contract: only its service and spare_part events (billing events are never visited), ' +
  'only events that are not completed or cancelled, and none that is already on another open ticket ' +
  '(422 with `details.reason` OTHER_CONTRACT, BILLING_EVENT, EVENT_CLOSED or ALREADY_ON_OPEN_TICKET, naming the events). ' +
  'Unknown event ids answer 404 naming them.';

export const createTicket = defineOperation({
  name: 'createTicket',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Open a service ticket for events of one contract',
  description:
    `Numbers it TKT-<year>-<5 digits>, gap-free per tenant and year (the tenant’s local year), and starts it in the initial status of the tenant’s ticket flow. ${GROUPING_RULES} ` +
    'The contract must be active (422 CONTRACT_NOT_ACTIVE). The tickets service learns contracts and their events from ' +
    'the events service a moment after activation; a ticket asked for in that moment waits for them (up to 1.5 s).',
  input: CreateTicketDto,
  output: TicketView,
  roles: OPERATORS,
  errors: [ErrorCode.NOT_FOUND, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/tickets', status: 201, idempotent: true },
});

export const listTickets = defineOperation({
  name: 'listTickets',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Tickets, newest first',
  description: 'Filtered by contract, status and assignee; `limit` and `cursor` page through them.',
  input: ListTicketsQuery,
  output: PageOf(TicketView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/tickets' },
});

export const getTicket = defineOperation({
  name: 'getTicket',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'One ticket with its events, evidence and status history',
  description: 'The events are as the tickets service last heard of them from the events service (moments behind it at most).',
  input: TicketRef,
  output: TicketDetailView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/tickets/{id}' },
});

export const addTicketEvents = defineOperation({
  name: 'addTicketEvents',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Add events of the same contract to an open ticket',
  description:
    `${GROUPING_RULES} A completed or cancelled ticket takes no more events (422 TICKET_CLOSED). ` +
    'With `version`, a stale one answers 409 VERSION_CONFLICT.',
  input: AddTicketEventsDto,
  output: TicketView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE, ErrorCode.VERSION_CONFLICT],
  http: { method: 'POST', path: '/tickets/{id}/events', idempotent: true },
});

export const removeTicketEvent = defineOperation({
  name: 'removeTicketEvent',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Take an event off an open ticket',
  description:
    'A ticket keeps at least one event: cancel the ticket instead of removing its last (422 LAST_EVENT). A closed ticket ' +
    'cannot change (422 TICKET_CLOSED). With `?version=`, a stale one answers 409 VERSION_CONFLICT.',
  input: RemoveTicketEventDto,
  output: TicketView,
  roles: OPERATORS,
  errors: [ErrorCode.BUSINESS_RULE, ErrorCode.VERSION_CONFLICT],
  http: { method: 'DELETE', path: '/tickets/{id}/events/{eventId}' },
});

export const transitionTicket = defineOperation({
  name: 'transitionTicket',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Move a ticket along the tenant’s ticket flow',
  description:
    'Only the moves the flow defines from the current status (422 TRANSITION_NOT_ALLOWED); cancelling and reopening need a ' +
    '`reason` (422 REASON_REQUIRED). `version` is the one you read: a stale one answers 409 VERSION_CONFLICT with the current ' +
    'version. Completing the ticket completes its events in the events service. A completed ticket reopens only while no ' +
    'other open ticket holds its events (422 ALREADY_ON_OPEN_TICKET). Accepting an offer, checking in and recording evidence ' +
    'move the ticket by themselves when the flow allows it.',
  input: TransitionTicketDto,
  output: TicketView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.REASON_REQUIRED, ErrorCode.EVIDENCE_REQUIRED, ErrorCode.VERSION_CONFLICT, ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/tickets/{id}/transitions', idempotent: true },
});

export const recordEvidence = defineOperation({
  name: 'recordEvidence',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Record evidence: a photo, document or signature file, form data, a note, or a customer OTP',
  description:
    'JSON, or multipart/form-data with the same fields as parts (`formData` and `otp` as JSON text) and the file in `file`. ' +
    'photo, document and signature need a file; the file’s content type must suit the type (photo: JPEG, PNG, WebP, HEIC; ' +
    'signature: PNG, JPEG, WebP; document: PDF, JPEG, PNG, plain text), else 415; files are limited in size (413). ' +
    'otp sends a code to the customer (`otp.phone`, default the contract customer’s phone) and stays pending until the code is ' +
    'verified. The ticket must be open (422 TICKET_CLOSED) and `eventId` one of its events (422 NOT_ON_TICKET).',
  input: RecordEvidenceDto,
  output: EvidenceView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.PAYLOAD_TOO_LARGE],
  http: {
    method: 'POST',
    path: '/tickets/{id}/evidence',
    status: 201,
    idempotent: true,
    upload: { field: 'file', description: 'The photo, document or signature (one file)' },
  },
});

export const listEvidence = defineOperation({
  name: 'listEvidence',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Evidence of a ticket, oldest first',
  description: 'OTP codes are never returned; files are downloaded from `/tickets/{id}/evidence/{evidenceId}/file`.',
  input: ListEvidenceQuery,
  output: PageOf(EvidenceView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/tickets/{id}/evidence' },
});

export const downloadEvidenceFile = defineOperation({
  name: 'downloadEvidenceFile',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'The file of photo, document or signature evidence',
  description: 'The bytes as uploaded, with their content type and `X-Content-SHA256`. Evidence without a file answers 404.',
  input: EvidenceRef,
  output: EvidenceFileRefView,
  roles: TENANT_ROLES,
  errors: [],
  http: { method: 'GET', path: '/tickets/{id}/evidence/{evidenceId}/file', download: true },
});

export const reviewEvidence = defineOperation({
  name: 'reviewEvidence',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Verify or reject evidence',
  description:
    'Only uploaded evidence is reviewed, once (422 TRANSITION_NOT_ALLOWED otherwise; pending OTP evidence is verified with its ' +
    'code instead). Rejecting needs a `reason` (422 REASON_REQUIRED).',
  input: ReviewEvidenceDto,
  output: EvidenceView,
  roles: OPERATORS,
  errors: [ErrorCode.TRANSITION_NOT_ALLOWED, ErrorCode.REASON_REQUIRED],
  http: { method: 'PATCH', path: '/tickets/{id}/evidence/{evidenceId}' },
});

export const verifyEvidenceOtp = defineOperation({
  name: 'verifyEvidenceOtp',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Verify the code the customer received',
  description:
    'A wrong code answers 422 OTP_INVALID with `details.attemptsLeft`, and the attempt counts even though the request fails. ' +
    'After too many wrong codes the OTP is locked for good (422 OTP_LOCKED, even for the right code): record a new otp ' +
    'evidence. An expired code answers 422 OTP_EXPIRED; a used one 422 OTP_ALREADY_USED.',
  input: VerifyOtpDto,
  output: EvidenceView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/tickets/{id}/evidence/{evidenceId}/verify-otp', idempotent: true },
});

export const reportTicketIssue = defineOperation({
  name: 'reportTicketIssue',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Report an issue on a ticket',
  description: 'Announced as EVENT_ISSUE_REPORTED. `eventId`, when given, must be one of the ticket’s events (422 NOT_ON_TICKET).',
  input: ReportIssueDto,
  output: IssueReportView,
  roles: FIELD_ROLES,
  errors: [ErrorCode.BUSINESS_RULE],
  http: { method: 'POST', path: '/tickets/{id}/issues', status: 201, idempotent: true },
});

export const listTicketIssues = defineOperation({
  name: 'listTicketIssues',
  handler: 'tickets',
  tag: 'tickets',
  summary: 'Issues reported on a ticket, newest first',
  description: 'Issues reported on the ticket and on its visits (appointments booked for it).',
  input: ListIssuesQuery,
  output: PageOf(IssueReportView),
  roles: TENANT_ROLES,
  errors: [ErrorCode.INVALID_CURSOR],
  http: { method: 'GET', path: '/tickets/{id}/issues' },
});

export const TICKETS_OPERATIONS: readonly Operation[] = [
  createTicket,
  listTickets,
  getTicket,
  addTicketEvents,
  removeTicketEvent,
  transitionTicket,
  recordEvidence,
  listEvidence,
  downloadEvidenceFile,
  reviewEvidence,
  verifyEvidenceOtp,
  reportTicketIssue,
  listTicketIssues,
  ...APPOINTMENTS_OPERATIONS,
  ...TICKET_SETTINGS_OPERATIONS,
];
