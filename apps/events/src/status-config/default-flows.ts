import { ContractEventType } from '@app/shared/catalog/events-service.catalog';
import { StatusDefinition, StatusFlow, TransitionDefinition } from '@app/shared/status-machine/status-machine';

/** Status machine key of an event type in the shared status tables. */
export function machineOf(eventType: string): string {
  return `contract_event:${eventType}`;
}

/** Status codes the scheduler and the payment route move into; a tenant flow without them simply opts out. */
export const DUE = 'due';
export const OVERDUE = 'overdue';
export const PAID = 'paid';
export const PARTIAL_PAYMENT = 'partial_payment';
/** Statuses only money moves into (seed-systems §2.4: set by receipt allocation, never by hand). */
export const MONEY_DRIVEN_STATUSES = [PAID, PARTIAL_PAYMENT];

type S = [code: string, label: string, color: string, icon: string, bucket: string, flags?: 'I' | 'T'];
const statuses = (rows: S[]): StatusDefinition[] =>
  rows.map(([code, label, color, icon, category, flags], i) => ({
    code,
    label,
    color,
    icon,
    order: i + 1,
    isInitial: flags === 'I',
    isTerminal: flags === 'T',
    category,
  }));

/** `a>b` plain, `a>b!r` reason, `a>b!e` evidence, `a>b!a` automatic (scheduler / money / sync). */
const transitions = (specs: string[]): TransitionDefinition[] =>
  specs.map((spec) => {
    const [pair, flags = ''] = spec.split('!');
    const [from, to] = pair.split('>');
    return { from, to, requiresReason: flags.includes('r'), requiresEvidence: flags.includes('e'), isAutomatic: flags.includes('a') };
  });

/**
 * System defaults: the plan's flows completed with the real seeded set (seed-systems §2.3–2.4), with these
 * decisions:
 * - every type has `due` and `overdue`, entered by the scheduler (automatic moves);
 * - service in_progress→completed requires evidence (a visit is done when a ticket proved it; a completed
 *   ticket carries its evidence), and is gated on open required sub-tasks (see DEFAULT_TASK_GATES);
 * - billing keeps the plan's invoice steps and the real set's terminal outcomes (waived, bad_debt,
 *   adjustment); paid / partial_payment are money-driven: only POST /events/{id}/payments enters them;
 * - cancelling, holding, reopening, returning, waiving and writing off need a reason.
 */
export const DEFAULT_FLOWS: Record<ContractEventType, StatusFlow> = {
  service: {
    statuses: statuses([
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'I'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['assigned', 'Assigned', '#3B82F6', 'UserCheck', 'upcoming'],
      ['in_progress', 'In Progress', '#8B5CF6', 'Play', 'in_progress'],
      ['on_hold', 'On Hold', '#F59E0B', 'Pause', 'in_progress'],
      ['completed', 'Completed', '#10B981', 'CheckCircle', 'done', 'T'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'T'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
      ['reopened', 'Reopened', '#F97316', 'RotateCcw', 'in_progress'],
    ]),
    transitions: transitions([
      'scheduled>assigned',
      'scheduled>in_progress',
      'assigned>in_progress',
      'in_progress>completed!e',
      'assigned>on_hold!r',
      'in_progress>on_hold!r',
      'on_hold>assigned',
      'on_hold>in_progress',
      'scheduled>cancelled!r',
      'assigned>cancelled!r',
      'in_progress>cancelled!r',
      'on_hold>cancelled!r',
      'overdue>assigned',
      'overdue>in_progress',
      'overdue>cancelled!r',
      'completed>reopened!r',
      'reopened>in_progress',
      'scheduled>due!a',
      'due>assigned',
      'due>in_progress',
      'due>cancelled!r',
      'scheduled>overdue!a',
      'due>overdue!a',
      'assigned>overdue!a',
    ]),
  },
  spare_part: {
    statuses: statuses([
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'I'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['procurement_pending', 'Procurement Pending', '#F59E0B', 'ShoppingCart', 'in_progress'],
      ['ordered', 'Ordered', '#3B82F6', 'Package', 'in_progress'],
      ['shipped', 'Shipped', '#8B5CF6', 'Truck', 'in_progress'],
      ['delivered', 'Delivered', '#06B6D4', 'PackageCheck', 'in_progress'],
      ['installed', 'Installed', '#10B981', 'CheckCircle', 'done', 'T'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'T'],
      ['return_requested', 'Return Requested', '#F97316', 'RotateCcw', 'in_progress'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
    ]),
    transitions: transitions([
      'scheduled>procurement_pending',
      'procurement_pending>ordered',
      'ordered>shipped',
      'shipped>delivered',
      'delivered>installed',
      'installed>return_requested!r',
      'delivered>return_requested!r',
      'return_requested>procurement_pending',
      'scheduled>cancelled!r',
      'procurement_pending>cancelled!r',
      'ordered>cancelled!r',
      'overdue>procurement_pending',
      'overdue>cancelled!r',
      'scheduled>due!a',
      'due>procurement_pending',
      'due>cancelled!r',
      'scheduled>overdue!a',
      'due>overdue!a',
    ]),
  },
  billing: {
    statuses: statuses([
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'I'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['invoice_generated', 'Invoice Generated', '#3B82F6', 'FileText', 'in_progress'],
      ['sent', 'Sent', '#8B5CF6', 'Send', 'in_progress'],
      ['payment_pending', 'Payment Pending', '#F59E0B', 'Clock', 'in_progress'],
      ['partial_payment', 'Partial Payment', '#F97316', 'CircleDot', 'in_progress'],
      ['paid', 'Paid', '#10B981', 'CheckCircle', 'done', 'T'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
      ['waived', 'Waived', '#6B7280', 'MinusCircle', 'done', 'T'],
      ['bad_debt', 'Bad Debt', '#7F1D1D', 'Ban', 'cancelled', 'T'],
      ['adjustment', 'Adjustment', '#6366F1', 'ArrowRightCircle', 'done', 'T'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'T'],
    ]),
    transitions: transitions([
      'scheduled>due!a',
      'scheduled>overdue!a',
      'due>overdue!a',
      'invoice_generated>overdue!a',
      'sent>overdue!a',
      'payment_pending>overdue!a',
      'scheduled>invoice_generated',
      'due>invoice_generated',
      'invoice_generated>sent',
      'sent>payment_pending',
      'overdue>payment_pending',
      'scheduled>cancelled!r',
      'due>cancelled!r',
      'invoice_generated>cancelled!r',
      'overdue>cancelled!r',
      'partial_payment>cancelled!r',
      'due>waived!r',
      'overdue>waived!r',
      'payment_pending>waived!r',
      'partial_payment>waived!r',
      'due>bad_debt!r',
      'overdue>bad_debt!r',
      'partial_payment>bad_debt!r',
      'due>adjustment!r',
      'overdue>adjustment!r',
      'partial_payment>adjustment!r',
      ...['scheduled', 'due', 'invoice_generated', 'sent', 'payment_pending', 'overdue', 'partial_payment'].map((s) => `${s}>paid!a`),
      ...['scheduled', 'due', 'invoice_generated', 'sent', 'payment_pending', 'overdue'].map((s) => `${s}>partial_payment!a`),
    ]),
  },
};

export interface TaskGate {
  from: string;
  to: string;
}

export interface EventTypeSettings {
  dueLeadDays: number;
  /** Moves refused while a required sub-task of the event is open. */
  taskGatedTransitions: TaskGate[];
}

/** Lead days follow the scanner we replace (7 for services and billing); parts get the same. */
export const DEFAULT_SETTINGS: Record<ContractEventType, EventTypeSettings> = {
  service: { dueLeadDays: 7, taskGatedTransitions: [{ from: 'in_progress', to: 'completed' }] },
  spare_part: { dueLeadDays: 7, taskGatedTransitions: [{ from: 'delivered', to: 'installed' }] },
  // Money received is a fact: billing todos never block recording a payment unless a tenant says so.
  billing: { dueLeadDays: 7, taskGatedTransitions: [] },
};
