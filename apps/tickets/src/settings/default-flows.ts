import { seedFlow } from '@app/shared/status-machine/flow-format';
import { StatusFlow } from '@app/shared/status-machine/status-machine';

/**
 * System default flows of the two machines this service owns. The seed's ticket statuses (seed-systems §2.2)
 * plus `reopened`; the appointment flow of the seeds (created → scheduled → reminded → confirmed →
 * in_progress → completed; rescheduled; no_show; cancelled). Tenants replace them through the settings routes.
 * Written in the seed format of every service (libs/shared/src/status-machine/flow-format.ts).
 */
export const DEFAULT_TICKET_FLOW: StatusFlow = seedFlow({
  statuses: [
    ['created', 'Created', '#6B7280', 'FilePlus', 'upcoming', 'initial'],
    ['assigned', 'Assigned', '#3B82F6', 'UserCheck', 'upcoming'],
    ['in_progress', 'In progress', '#8B5CF6', 'Play', 'in_progress'],
    ['evidence_uploaded', 'Evidence uploaded', '#06B6D4', 'Paperclip', 'in_progress'],
    ['completed', 'Completed', '#10B981', 'CheckCircle', 'done', 'terminal'],
    ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
    ['reopened', 'Reopened', '#F97316', 'RotateCcw', 'in_progress'],
  ],
  transitions: [
    'created>assigned',
    'created>in_progress',
    'created>cancelled +reason',
    'assigned>in_progress',
    'assigned>created',
    'assigned>cancelled +reason',
    'in_progress>evidence_uploaded',
    'in_progress>completed',
    'in_progress>cancelled +reason',
    'evidence_uploaded>completed',
    'evidence_uploaded>in_progress',
    'evidence_uploaded>cancelled +reason',
    'completed>reopened +reason',
    'reopened>in_progress',
    'reopened>cancelled +reason',
  ],
});

export const DEFAULT_APPOINTMENT_FLOW: StatusFlow = seedFlow({
  statuses: [
    ['created', 'Created', '#6B7280', 'CalendarPlus', 'upcoming', 'initial'],
    ['scheduled', 'Scheduled', '#3B82F6', 'Calendar', 'upcoming'],
    ['reminded', 'Reminded', '#8B5CF6', 'BellRing', 'upcoming'],
    ['confirmed', 'Confirmed', '#0EA5E9', 'CalendarCheck', 'upcoming'],
    ['in_progress', 'In progress', '#F59E0B', 'Play', 'in_progress'],
    ['completed', 'Completed', '#10B981', 'CheckCircle', 'done', 'terminal'],
    ['rescheduled', 'Rescheduled', '#F97316', 'CalendarClock', 'upcoming'],
    ['no_show', 'No show', '#DC2626', 'UserX', 'cancelled', 'terminal'],
    ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
  ],
  transitions: [
    'created>scheduled',
    'created>confirmed',
    'created>in_progress',
    'created>rescheduled',
    'created>cancelled +reason',
    'scheduled>reminded',
    'scheduled>confirmed',
    'scheduled>in_progress',
    'scheduled>rescheduled',
    'scheduled>no_show',
    'scheduled>cancelled +reason',
    'reminded>confirmed',
    'reminded>in_progress',
    'reminded>rescheduled',
    'reminded>no_show',
    'reminded>cancelled +reason',
    'confirmed>in_progress',
    'confirmed>rescheduled',
    'confirmed>no_show',
    'confirmed>cancelled +reason',
    'in_progress>completed',
    'rescheduled>scheduled',
    'rescheduled>confirmed',
    'rescheduled>in_progress',
    'rescheduled>no_show',
    'rescheduled>cancelled +reason',
  ],
});
