import { parseTransitions } from '@app/shared/status-machine/flow-format';
import { TransitionDefinition } from '@app/shared/status-machine/status-machine';

/**
 * Master data of the JTD framework as seeded by the system we replace (seed-systems.md §1.2). Kept as
 * data so the seeding migration and the unit tests read the same values. Status flows are written in the
 * shared seed format (libs/shared/src/status-machine/flow-format.ts: `from>to`, `+auto` for the moves the
 * dispatcher takes by itself).
 */
export const EVENT_TYPES = [
  // code, name, category, icon, color, allowed channels, sched, recur, batch, priority, retries, delay s, order
  ['notification', 'Notification', 'communication', 'Bell', '#3B82F6', ['email', 'sms', 'whatsapp', 'push', 'inapp'], false, false, true, 5, 3, 300, 1],
  ['reminder', 'Reminder', 'communication', 'Clock', '#EC4899', ['email', 'sms', 'whatsapp', 'push', 'inapp'], true, true, true, 6, 3, 300, 2],
  ['appointment', 'Appointment', 'scheduling', 'Calendar', '#10B981', ['email', 'sms', 'whatsapp', 'inapp'], true, false, false, 7, 3, 300, 3],
  ['service_visit', 'Service Visit', 'scheduling', 'Truck', '#8B5CF6', ['email', 'sms', 'whatsapp'], true, true, false, 8, 3, 300, 4],
  ['task', 'Task', 'action', 'CheckSquare', '#F59E0B', ['inapp', 'email'], true, false, false, 5, 0, 0, 5],
  ['payment', 'Payment', 'communication', 'CreditCard', '#14B8A6', ['email', 'sms', 'whatsapp'], false, false, true, 8, 3, 300, 6],
  ['document', 'Document', 'communication', 'FileText', '#6366F1', ['email', 'inapp'], false, false, false, 6, 3, 600, 7],
] as const;

/** Event types whose jobs are actions a person (or VaNi) performs, not only messages. */
export const ACTION_EVENT_TYPES = ['task', 'appointment', 'service_visit'];

export const CHANNELS = [
  // code, name, provider, cost, rate/min, templates, attachments, rich, max length, delivery conf, read receipt, order, icon, color
  ['email', 'Email', 'msg91', '0.2500', 100, true, true, true, 50000, true, true, 1, 'Mail', '#3B82F6'],
  ['sms', 'SMS', 'msg91', '0.7500', 50, true, false, false, 160, true, false, 2, 'MessageSquare', '#10B981'],
  ['whatsapp', 'WhatsApp', 'msg91', '0.5000', 30, true, true, true, 4096, true, true, 3, 'Phone', '#25D366'],
  ['push', 'Push', 'firebase', '0.0100', 500, true, false, false, 256, true, false, 4, 'Bell', '#F59E0B'],
  ['inapp', 'In-App', 'internal', '0.0000', 1000, true, false, true, 1000, true, true, 5, 'Inbox', '#8B5CF6'],
] as const;

const ICONS: Record<string, [string, string]> = {
  created: ['Plus', 'gray'],
  pending: ['Clock', 'blue'],
  queued: ['List', 'blue'],
  executing: ['Loader', 'yellow'],
  sent: ['Send', 'blue'],
  delivered: ['Check', 'green'],
  read: ['Eye', 'green'],
  failed: ['X', 'red'],
  bounced: ['RotateCcw', 'red'],
  cancelled: ['XCircle', 'gray'],
  scheduled: ['Calendar', 'blue'],
  reminded: ['Bell', 'blue'],
  confirmed: ['CheckCircle', 'green'],
  in_progress: ['Play', 'yellow'],
  completed: ['CheckCircle', 'green'],
  rescheduled: ['RefreshCw', 'blue'],
  no_show: ['UserX', 'red'],
  dispatched: ['Truck', 'yellow'],
  assigned: ['User', 'blue'],
  blocked: ['AlertCircle', 'red'],
  viewed: ['Eye', 'blue'],
  signed: ['FileCheck', 'green'],
  rejected: ['FileX', 'red'],
  expired: ['Clock', 'gray'],
  no_credits: ['PauseCircle', 'orange'],
  held: ['PauseCircle', 'orange'],
};

export interface SeedStatus {
  code: string;
  type: 'initial' | 'progress' | 'success' | 'failure' | 'terminal' | 'waiting';
  order: number;
  flags: string; // I T S F R
}

const s = (code: string, type: SeedStatus['type'], order: number, flags = ''): SeedStatus => ({ code, type, order, flags });

/** Seed statuses per event type, plus the no_credits/expired pair every type got later. */
const SEED_STATUSES: Record<string, SeedStatus[]> = {
  notification: [
    s('created', 'initial', 1, 'I'),
    s('pending', 'progress', 2),
    s('queued', 'progress', 3),
    s('executing', 'progress', 4),
    s('sent', 'progress', 5),
    s('delivered', 'success', 6, 'TS'),
    s('read', 'success', 7, 'TS'),
    s('failed', 'failure', 8, 'FR'),
    s('bounced', 'failure', 9, 'TF'),
    s('cancelled', 'terminal', 10, 'T'),
  ],
  reminder: [
    s('created', 'initial', 1, 'I'),
    s('scheduled', 'progress', 2),
    s('pending', 'progress', 3),
    s('queued', 'progress', 4),
    s('executing', 'progress', 5),
    s('sent', 'progress', 6),
    s('delivered', 'success', 7, 'TS'),
    s('read', 'success', 8, 'TS'),
    s('failed', 'failure', 9, 'FR'),
    s('cancelled', 'terminal', 10, 'T'),
  ],
  appointment: [
    s('created', 'initial', 1, 'I'),
    s('scheduled', 'progress', 2),
    s('reminded', 'progress', 3),
    s('confirmed', 'progress', 4),
    s('in_progress', 'progress', 5),
    s('completed', 'success', 6, 'TS'),
    s('rescheduled', 'progress', 7),
    s('no_show', 'failure', 8, 'TF'),
    s('cancelled', 'terminal', 9, 'T'),
  ],
  service_visit: [
    s('created', 'initial', 1, 'I'),
    s('scheduled', 'progress', 2),
    s('reminded', 'progress', 3),
    s('confirmed', 'progress', 4),
    s('dispatched', 'progress', 5),
    s('in_progress', 'progress', 6),
    s('completed', 'success', 7, 'TS'),
    s('rescheduled', 'progress', 8),
    s('no_show', 'failure', 9, 'TF'),
    s('cancelled', 'terminal', 10, 'T'),
  ],
  task: [
    s('created', 'initial', 1, 'I'),
    s('pending', 'progress', 2),
    s('assigned', 'progress', 3),
    s('in_progress', 'progress', 4),
    s('blocked', 'progress', 5),
    s('completed', 'success', 6, 'TS'),
    s('cancelled', 'terminal', 7, 'T'),
  ],
  payment: [
    s('created', 'initial', 1, 'I'),
    s('pending', 'progress', 2),
    s('queued', 'progress', 3),
    s('executing', 'progress', 4),
    s('sent', 'progress', 5),
    s('delivered', 'success', 6, 'TS'),
    s('read', 'success', 7, 'TS'),
    s('failed', 'failure', 8, 'FR'),
    s('cancelled', 'terminal', 9, 'T'),
  ],
  document: [
    s('created', 'initial', 1, 'I'),
    s('pending', 'progress', 2),
    s('sent', 'progress', 3),
    s('delivered', 'progress', 4),
    s('viewed', 'progress', 5),
    s('signed', 'success', 6, 'TS'),
    s('rejected', 'failure', 7, 'TF'),
    s('expired', 'terminal', 8, 'T'),
    s('cancelled', 'terminal', 9, 'T'),
  ],
};

const SEED_FLOWS: Record<string, readonly string[]> = {
  notification: [
    'created>pending +auto, created>cancelled',
    'pending>queued +auto, pending>cancelled',
    'queued>executing +auto, queued>failed +auto',
    'executing>sent +auto, executing>failed +auto',
    'sent>delivered +auto, sent>failed +auto, sent>bounced +auto',
    'delivered>read +auto',
    'failed>pending',
  ],
  reminder: [
    'created>scheduled +auto, created>pending +auto, created>cancelled',
    'scheduled>pending +auto, scheduled>cancelled',
    'pending>queued +auto',
    'queued>executing +auto',
    'executing>sent +auto, executing>failed +auto',
    'sent>delivered +auto, sent>failed +auto',
    'delivered>read +auto',
    'failed>pending',
  ],
  appointment: [
    'created>scheduled +auto, created>cancelled',
    'scheduled>reminded +auto, scheduled>confirmed, scheduled>rescheduled, scheduled>cancelled',
    'reminded>confirmed, reminded>cancelled',
    'confirmed>in_progress +auto, confirmed>no_show, confirmed>rescheduled, confirmed>cancelled',
    'in_progress>completed',
    'rescheduled>scheduled +auto',
  ],
  service_visit: [
    'created>scheduled +auto, created>cancelled',
    'scheduled>reminded +auto, scheduled>confirmed, scheduled>rescheduled, scheduled>cancelled',
    'reminded>confirmed',
    'confirmed>dispatched, confirmed>cancelled',
    'dispatched>in_progress, dispatched>no_show',
    'in_progress>completed',
    'rescheduled>scheduled +auto',
  ],
  task: [
    'created>pending +auto, created>assigned, created>cancelled',
    'pending>assigned, pending>in_progress, pending>cancelled',
    'assigned>in_progress, assigned>cancelled',
    'in_progress>blocked, in_progress>completed, in_progress>cancelled',
    'blocked>in_progress',
  ],
  payment: [
    'created>pending +auto, created>cancelled',
    'pending>queued +auto',
    'queued>executing +auto',
    'executing>sent +auto, executing>failed +auto',
    'sent>delivered +auto, sent>failed +auto',
    'delivered>read +auto',
    'failed>pending',
  ],
  document: [
    'created>pending +auto, created>cancelled',
    'pending>sent +auto',
    'sent>delivered +auto',
    'delivered>viewed +auto',
    'viewed>signed, viewed>rejected',
    'delivered>expired +auto',
    'viewed>expired +auto',
  ],
};

/**
 * What the re-implementation adds to every machine so its own pipeline stays on valid moves: the delivery
 * path (scheduled, pending, queued, executing, sent, delivered, read, failed, bounced), `held` for jobs over
 * the tenant's daily/monthly limit, the seed's later no_credits/expired pair, retry (failed → pending) and
 * the moves a deferral needs (pending ↔ scheduled). Seed rows are kept as they are; only missing ones are added.
 */
const PIPELINE_STATUSES: SeedStatus[] = [
  s('scheduled', 'progress', 2),
  s('pending', 'progress', 3),
  s('queued', 'progress', 4),
  s('executing', 'progress', 5),
  s('sent', 'progress', 6),
  s('delivered', 'success', 7, 'TS'),
  s('read', 'success', 8, 'TS'),
  s('failed', 'failure', 11, 'FR'),
  s('bounced', 'failure', 12, 'TF'),
  s('cancelled', 'terminal', 13, 'T'),
  s('held', 'waiting', 14),
  s('no_credits', 'waiting', 15),
  s('expired', 'terminal', 99, 'T'),
];
const PIPELINE_FLOWS = parseTransitions([
  'created>scheduled +auto, created>pending +auto, created>held +auto, created>failed +auto, created>cancelled',
  'scheduled>pending +auto, scheduled>held +auto, scheduled>cancelled, scheduled>failed +auto',
  'pending>scheduled +auto, pending>held +auto, pending>queued +auto, pending>failed +auto, pending>cancelled',
  'held>pending +auto, held>scheduled +auto, held>cancelled, held>expired +auto',
  'queued>executing +auto, queued>failed +auto, queued>cancelled',
  'executing>sent +auto, executing>failed +auto',
  'sent>delivered +auto, sent>read +auto, sent>failed +auto, sent>bounced +auto',
  'delivered>read +auto',
  'failed>pending, failed>scheduled +auto, failed>cancelled',
  'created>no_credits',
  'no_credits>pending, no_credits>expired',
]);

export interface MachineSeed {
  eventType: string;
  statuses: SeedStatus[];
  transitions: TransitionDefinition[];
}

/** The status machine of every event type (`jtd:<event type>`): the seed's rows, then what the pipeline adds. */
export function machineSeeds(): MachineSeed[] {
  return Object.keys(SEED_STATUSES).map((eventType) => {
    const statuses = [...SEED_STATUSES[eventType]];
    for (const p of PIPELINE_STATUSES) if (!statuses.some((x) => x.code === p.code)) statuses.push(p);
    const transitions = parseTransitions(SEED_FLOWS[eventType]);
    for (const p of PIPELINE_FLOWS) if (!transitions.some((x) => x.from === p.from && x.to === p.to)) transitions.push(p);
    return { eventType, statuses, transitions };
  });
}

/** The status machine of an event type's jobs in the shared status tables. */
export function jobMachineOf(eventType: string): string {
  return `jtd:${eventType}`;
}

/** Every event type's code, in seed order. */
export const EVENT_TYPE_CODES: readonly string[] = EVENT_TYPES.map((e) => e[0]);

export function statusIcon(code: string): [string, string] {
  return ICONS[code] ?? ['Circle', 'gray'];
}

export const SOURCE_TYPES = [
  // code, name, default event type, default channels
  ['user_invite', 'User invite', 'notification', ['email']],
  ['user_created', 'User created', 'notification', ['email', 'inapp']],
  ['user_role_changed', 'User role changed', 'notification', ['email', 'inapp']],
  ['contract_created', 'Contract created', 'notification', ['email']],
  ['contract_signed', 'Contract signed', 'notification', ['email']],
  ['service_scheduled', 'Service scheduled', 'service_visit', ['email', 'sms']],
  ['service_reminder', 'Service reminder', 'reminder', ['email', 'sms', 'whatsapp']],
  ['service_completed', 'Service completed', 'notification', ['email']],
  ['appointment_created', 'Appointment created', 'appointment', ['email', 'sms']],
  ['appointment_reminder', 'Appointment reminder', 'reminder', ['email', 'sms', 'whatsapp']],
  ['payment_due', 'Payment due', 'reminder', ['email', 'sms']],
  ['payment_received', 'Payment received', 'notification', ['email']],
  ['payment_overdue', 'Payment overdue', 'notification', ['email', 'sms']],
  ['manual', 'Manual', 'task', []],
  ['system', 'System', 'notification', ['inapp']],
  ['contract_signoff', 'Contract sign-off', null, []],
  ['payment_request', 'Payment request', null, []],
  ['otp_verification', 'OTP verification', 'notification', ['sms']],
] as const;

/** [key, channel, source, subject, content, variables (name or name=default for optional), provider template id] */
export const SYSTEM_TEMPLATES: Array<[string, string, string, string | null, string, string[], string | null]> = [
  [
    'user_invite_email_v1',
    'email',
    'user_invite',
    "You're invited to join {{tenant_name}} on ContractNest",
    'Hi {{recipient_name}}, {{inviter_name}} invited you to {{tenant_name}}: {{invite_link}}',
    ['recipient_name=there', 'inviter_name', 'tenant_name', 'invite_link'],
    null,
  ],
  [
    'user_invite_sms_v1',
    'sms',
    'user_invite',
    null,
    '{{inviter_name}} invited you to {{tenant_name}}: {{invite_link}}',
    ['inviter_name', 'tenant_name', 'invite_link'],
    null,
  ],
  [
    'user_invite_whatsapp_v1',
    'whatsapp',
    'user_invite',
    null,
    'Hi {{recipient_name}}, {{inviter_name}} invited you to {{tenant_name}}: {{invite_link}}',
    ['recipient_name', 'inviter_name', 'tenant_name', 'invite_link'],
    'user_invitation',
  ],
  [
    'contract_created_email_v1',
    'email',
    'contract_created',
    'Your contract {{contract_number}} is active',
    'Hello {{customer_name}}, your contract {{contract_number}} ({{contract_title}}) is active from {{start_date}} to {{end_date}}.',
    ['customer_name', 'contract_number', 'contract_title', 'start_date', 'end_date'],
    null,
  ],
  [
    'service_reminder_email_v1',
    'email',
    'service_reminder',
    'Reminder: Service visit scheduled for {{service_date}}',
    'Hello {{customer_name}}, your {{service_type}} is scheduled for {{service_date}}. {{tenant_name}}',
    ['customer_name', 'service_type', 'service_date', 'tenant_name'],
    null,
  ],
  [
    'service_reminder_sms_v1',
    'sms',
    'service_reminder',
    null,
    'Reminder: {{service_type}} on {{service_date}}. {{tenant_name}}',
    ['service_type', 'service_date', 'tenant_name'],
    null,
  ],
  [
    'service_reminder_whatsapp_v1',
    'whatsapp',
    'service_reminder',
    null,
    'Hello {{customer_name}}, your {{service_type}} is on {{service_date}}.',
    ['customer_name', 'service_type', 'service_date'],
    'service_reminder',
  ],
  [
    'service_completed_email_v1',
    'email',
    'service_completed',
    'Service completed: {{ticket_number}}',
    'Hello {{customer_name}}, ticket {{ticket_number}} for contract {{contract_number}} was completed on {{completed_at}}.',
    ['customer_name', 'ticket_number', 'contract_number=', 'completed_at'],
    null,
  ],
  [
    'payment_due_email_v1',
    'email',
    'payment_due',
    'Payment Reminder: Invoice {{invoice_number}} due {{due_date}}',
    'Hello {{customer_name}}, {{amount}} for {{invoice_number}} is due on {{due_date}}. {{payment_link}} {{tenant_name}}',
    ['customer_name', 'invoice_number', 'amount', 'due_date', 'payment_link=', 'tenant_name'],
    null,
  ],
  [
    'payment_due_sms_v1',
    'sms',
    'payment_due',
    null,
    '{{amount}} for {{invoice_number}} is due on {{due_date}}. {{tenant_name}}',
    ['invoice_number', 'amount', 'due_date', 'tenant_name'],
    null,
  ],
  [
    'payment_overdue_email_v1',
    'email',
    'payment_overdue',
    'Payment overdue: {{invoice_number}}',
    'Hello {{customer_name}}, {{amount}} for {{invoice_number}} was due on {{due_date}}.',
    ['customer_name', 'invoice_number', 'amount', 'due_date'],
    null,
  ],
  [
    'payment_overdue_sms_v1',
    'sms',
    'payment_overdue',
    null,
    'Overdue: {{amount}} for {{invoice_number}} was due {{due_date}}.',
    ['invoice_number', 'amount', 'due_date'],
    null,
  ],
  [
    'appointment_created_email_v1',
    'email',
    'appointment_created',
    'Appointment on {{appointment_date}}',
    'Hello {{customer_name}}, your appointment is on {{appointment_date}}.',
    ['customer_name', 'appointment_date'],
    null,
  ],
  ['appointment_created_sms_v1', 'sms', 'appointment_created', null, 'Appointment booked for {{appointment_date}}.', ['appointment_date'], null],
  [
    'appointment_reminder_email_v1',
    'email',
    'appointment_reminder',
    'Reminder: appointment on {{appointment_date}}',
    'Hello {{customer_name}}, a reminder of your appointment on {{appointment_date}}.',
    ['customer_name', 'appointment_date'],
    null,
  ],
  ['appointment_reminder_sms_v1', 'sms', 'appointment_reminder', null, 'Reminder: appointment on {{appointment_date}}', ['appointment_date'], null],
  [
    'appointment_reminder_whatsapp_v1',
    'whatsapp',
    'appointment_reminder',
    null,
    'Reminder: appointment on {{appointment_date}}',
    ['appointment_date'],
    'appointment_reminder',
  ],
  ['otp_verification_sms_v1', 'sms', 'otp_verification', null, 'Your OTP for ticket {{ticket_number}} is {{otp}}.', ['otp', 'ticket_number'], null],
  [
    'otp_verification_whatsapp_v1',
    'whatsapp',
    'otp_verification',
    null,
    'Your OTP for ticket {{ticket_number}} is {{otp}}.',
    ['otp', 'ticket_number'],
    'otp_verification',
  ],
  [
    'service_reminder_push_v1',
    'push',
    'service_reminder',
    'Service on {{service_date}}',
    '{{service_type}} is scheduled for {{service_date}}.',
    ['service_type', 'service_date'],
    null,
  ],
  [
    'service_reminder_inapp_v1',
    'inapp',
    'service_reminder',
    'Service on {{service_date}}',
    '{{service_type}} for {{customer_name}} is scheduled for {{service_date}}.',
    ['customer_name', 'service_type', 'service_date'],
    null,
  ],
  [
    'appointment_reminder_push_v1',
    'push',
    'appointment_reminder',
    'Appointment reminder',
    'Your appointment is on {{appointment_date}}.',
    ['appointment_date'],
    null,
  ],
  [
    'payment_due_push_v1',
    'push',
    'payment_due',
    'Payment due',
    '{{amount}} for {{invoice_number}} is due on {{due_date}}.',
    ['invoice_number', 'amount', 'due_date'],
    null,
  ],
  ['system_push_v1', 'push', 'system', '{{title}}', '{{body}}', ['title', 'body'], null],
  ['system_inapp_v1', 'inapp', 'system', '{{title}}', '{{body}}', ['title', 'body'], null],
  [
    'contract_signoff_email',
    'email',
    'contract_signoff',
    '{{sender_name}} has shared a contract for your review — {{contract_title}}',
    '{{recipient_name}}, review {{contract_title}} ({{contract_number}}, {{contract_value}}): {{review_link}}',
    ['recipient_name', 'sender_name', 'contract_title', 'contract_number', 'contract_value', 'review_link', 'cnak'],
    null,
  ],
  [
    'contract_signoff_whatsapp',
    'whatsapp',
    'contract_signoff',
    null,
    '{{recipient_name}} {{sender_name}} {{contract_info}}',
    ['recipient_name', 'sender_name', 'contract_info'],
    'contract_signoff',
  ],
  [
    'payment_request_email',
    'email',
    'payment_request',
    'Payment request from {{tenant_name}} — {{currency}} {{amount}} for Invoice {{invoice_number}}',
    '{{customer_name}}: pay {{currency}} {{amount}} for {{invoice_number}} at {{payment_link}} within {{expire_hours}} h.',
    ['customer_name', 'tenant_name', 'invoice_number', 'amount', 'currency', 'payment_link', 'expire_hours'],
    null,
  ],
  [
    'payment_request_whatsapp',
    'whatsapp',
    'payment_request',
    null,
    '{{customer_name}} {{tenant_name}} {{invoice_number}} {{amount}} {{currency}} {{payment_link}} {{expire_hours}}',
    ['customer_name', 'tenant_name', 'invoice_number', 'amount', 'currency', 'payment_link', 'expire_hours'],
    'payment_request',
  ],
];

/**
 * System templates of the source types triggered by the contract lifecycle (issue 14), seeded by migration
 * 1764300000030 (same row shape as SYSTEM_TEMPLATES; kept apart so the first seed stays as it ran).
 */
export const LIFECYCLE_TEMPLATES: Array<[string, string, string, string | null, string, string[], string | null]> = [
  [
    'payment_received_email_v1',
    'email',
    'payment_received',
    'Payment received: {{amount}} for {{contract_number}}',
    'Hello {{customer_name}}, we received {{amount}} ({{method}}{{reference_note}}) on {{paid_at}} for {{invoice_number}} of contract {{contract_number}}. Paid so far: {{total_paid}}; balance: {{balance}}.',
    ['customer_name', 'amount', 'method', 'reference_note=', 'paid_at', 'invoice_number', 'contract_number', 'total_paid', 'balance'],
    null,
  ],
  [
    'contract_signed_email_v1',
    'email',
    'contract_signed',
    'Contract {{contract_number}} is signed',
    'Hello {{customer_name}}, your contract {{contract_number}} ({{contract_title}}) was approved and is now in force.',
    ['customer_name', 'contract_number', 'contract_title'],
    null,
  ],
  [
    'service_scheduled_email_v1',
    'email',
    'service_scheduled',
    'Your service visit is scheduled for {{service_date}}',
    'Hello {{customer_name}}, your service visit is confirmed for {{service_date}}.',
    ['customer_name', 'service_date'],
    null,
  ],
  ['service_scheduled_sms_v1', 'sms', 'service_scheduled', null, 'Your service visit is confirmed for {{service_date}}.', ['service_date'], null],
];
