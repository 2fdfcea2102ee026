/**
 * The closed vocabularies of the tickets service, shared by its inputs, its views and its catalog entries.
 * Status *codes* are data (tenant-overridable flows), so they are not listed here; only the seeded defaults.
 */

/** Contract event types a ticket may group: a visit executes service and spare-part work, never billing. */
export const TICKET_EVENT_TYPES = ['service', 'spare_part'] as const;
export const CONTRACT_EVENT_TYPES = ['service', 'spare_part', 'billing'] as const;

export const TICKET_ASSIGNEE_ROLES = ['technician', 'lead', 'assignee', 'account_manager', 'observer'] as const;
export type TicketAssigneeRole = (typeof TICKET_ASSIGNEE_ROLES)[number];
/** The role of an assignee or offer that names none: nearly everyone on a visit is its technician. */
export const DEFAULT_ASSIGNEE_ROLE: TicketAssigneeRole = 'technician';

/** The built-in evidence types: every tenant's list until it changes it (settings/evidence-types). */
export const EVIDENCE_TYPES = ['photo', 'document', 'signature', 'form_data', 'note', 'otp'] as const;
/** What an evidence type code looks like (built-in or a tenant's own). */
export const EVIDENCE_TYPE_CODE = /^[a-z][a-z0-9_]{0,49}$/;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
/** Evidence types that carry a file (multipart upload). */
export const FILE_EVIDENCE_TYPES: readonly EvidenceType[] = ['photo', 'document', 'signature'];

export const EVIDENCE_STATUSES = ['pending', 'uploaded', 'verified', 'rejected'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
export const EVIDENCE_REVIEW_STATUSES = ['verified', 'rejected'] as const;

export const OTP_CHANNELS = ['sms', 'whatsapp'] as const;
export type OtpChannel = (typeof OTP_CHANNELS)[number];

export const CHECK_IN_VERIFICATION_METHODS = ['gps', 'qrcode', 'manager', 'other'] as const;
export type CheckInVerificationMethod = (typeof CHECK_IN_VERIFICATION_METHODS)[number];

export const NO_SHOW_CONSEQUENCES = ['warning', 'penalty', 'removal'] as const;
export type NoShowConsequence = (typeof NO_SHOW_CONSEQUENCES)[number];
export const NO_SHOW_PARTIES = ['customer', 'agent'] as const;

/** Staff assignment (offer) lifecycle on one appointment. */
export const ASSIGNMENT_STATUSES = [
  'offered',
  'accepted',
  'declined',
  'expired',
  'dispatched',
  'en_route',
  'checked_in',
  'checked_out',
  'no_show',
  'withdrawn',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ISSUE_TYPES = ['venue', 'staff', 'kit', 'logistics', 'client', 'other'] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];
export const ISSUE_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

export const LOCATION_ISSUE_TYPES = ['access', 'facilities', 'space', 'safety', 'other'] as const;
export const LOCATION_IMPACT_LEVELS = ['minor', 'moderate', 'major'] as const;
/** Check-ins farther than this from the visit's location are flagged, unless the tenant sets its own radius. */
export const DEFAULT_CHECK_IN_RADIUS_METERS = 500;

/** Names of the two status machines the tickets service owns (rows in its status tables). */
export const TICKET_MACHINE = 'ticket';
export const APPOINTMENT_MACHINE = 'appointment';
