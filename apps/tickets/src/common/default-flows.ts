import { StatusDefinition, StatusFlow, TransitionDefinition } from '@app/shared/status-machine/status-machine';

/**
 * System default flows of the two machines this service owns. The seed's ticket statuses (seed-systems §2.2)
 * plus `reopened`; the appointment flow of the seeds (created → scheduled → reminded → confirmed →
 * in_progress → completed; rescheduled; no_show; cancelled). Tenants replace them through the settings routes.
 */
const s = (code: string, label: string, color: string, icon: string, order: number, category: string, flags = ''): StatusDefinition => ({
  code,
  label,
  color,
  icon,
  order,
  isInitial: flags.includes('I'),
  isTerminal: flags.includes('T'),
  category,
});

/** `a>b` plain, `a>b!` requires a reason. */
const moves = (spec: string): TransitionDefinition[] =>
  spec.split(',').map((m) => {
    const requiresReason = m.endsWith('!');
    const [from, to] = m.replace('!', '').split('>');
    return { from, to, requiresReason, requiresEvidence: false };
  });

export const DEFAULT_TICKET_FLOW: StatusFlow = {
  statuses: [
    s('created', 'Created', '#6B7280', 'FilePlus', 1, 'upcoming', 'I'),
    s('assigned', 'Assigned', '#3B82F6', 'UserCheck', 2, 'upcoming'),
    s('in_progress', 'In progress', '#8B5CF6', 'Play', 3, 'in_progress'),
    s('evidence_uploaded', 'Evidence uploaded', '#06B6D4', 'Paperclip', 4, 'in_progress'),
    s('completed', 'Completed', '#10B981', 'CheckCircle', 5, 'done', 'T'),
    s('cancelled', 'Cancelled', '#EF4444', 'XCircle', 6, 'cancelled', 'T'),
    s('reopened', 'Reopened', '#F97316', 'RotateCcw', 7, 'in_progress'),
  ],
  transitions: moves(
    [
      'created>assigned',
      'created>in_progress',
      'created>cancelled!',
      'assigned>in_progress',
      'assigned>created',
      'assigned>cancelled!',
      'in_progress>evidence_uploaded',
      'in_progress>completed',
      'in_progress>cancelled!',
      'evidence_uploaded>completed',
      'evidence_uploaded>in_progress',
      'evidence_uploaded>cancelled!',
      'completed>reopened!',
      'reopened>in_progress',
      'reopened>cancelled!',
    ].join(','),
  ),
};

export const DEFAULT_APPOINTMENT_FLOW: StatusFlow = {
  statuses: [
    s('created', 'Created', '#6B7280', 'CalendarPlus', 1, 'upcoming', 'I'),
    s('scheduled', 'Scheduled', '#3B82F6', 'Calendar', 2, 'upcoming'),
    s('reminded', 'Reminded', '#8B5CF6', 'BellRing', 3, 'upcoming'),
    s('confirmed', 'Confirmed', '#0EA5E9', 'CalendarCheck', 4, 'upcoming'),
    s('in_progress', 'In progress', '#F59E0B', 'Play', 5, 'in_progress'),
    s('completed', 'Completed', '#10B981', 'CheckCircle', 6, 'done', 'T'),
    s('rescheduled', 'Rescheduled', '#F97316', 'CalendarClock', 7, 'upcoming'),
    s('no_show', 'No show', '#DC2626', 'UserX', 8, 'cancelled', 'T'),
    s('cancelled', 'Cancelled', '#EF4444', 'XCircle', 9, 'cancelled', 'T'),
  ],
  transitions: moves(
    [
      'created>scheduled',
      'created>confirmed',
      'created>in_progress',
      'created>rescheduled',
      'created>cancelled!',
      'scheduled>reminded',
      'scheduled>confirmed',
      'scheduled>in_progress',
      'scheduled>rescheduled',
      'scheduled>no_show',
      'scheduled>cancelled!',
      'reminded>confirmed',
      'reminded>in_progress',
      'reminded>rescheduled',
      'reminded>no_show',
      'reminded>cancelled!',
      'confirmed>in_progress',
      'confirmed>rescheduled',
      'confirmed>no_show',
      'confirmed>cancelled!',
      'in_progress>completed',
      'rescheduled>scheduled',
      'rescheduled>confirmed',
      'rescheduled>in_progress',
      'rescheduled>no_show',
      'rescheduled>cancelled!',
    ].join(','),
  ),
};
