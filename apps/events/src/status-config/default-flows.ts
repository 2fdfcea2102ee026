import { ContractEventType } from '@app/shared/catalog/events-service.catalog';
import { seedFlow } from '@app/shared/status-machine/flow-format';
import { StatusFlow } from '@app/shared/status-machine/status-machine';

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

/**
 * System defaults, in the seed format of every service (libs/shared/src/status-machine/flow-format.ts:
 * status rows in display order; transitions `from>to` with `+reason`, `+evidence`, `+auto`). The plan's flows completed with the real seeded set (seed-systems §2.3–2.4), with these
 * decisions:
 * - every type has `due` and `overdue`, entered by the scheduler (automatic moves);
 * - service in_progress→completed requires evidence (a visit is done when a ticket proved it; a completed
 *   ticket carries its evidence), and is gated on open required sub-tasks (see DEFAULT_TASK_GATES);
 * - billing keeps the plan's invoice steps and the real set's terminal outcomes (waived, bad_debt,
 *   adjustment); paid / partial_payment are money-driven: only POST /events/{id}/payments enters them;
 * - cancelling, holding, reopening, returning, waiving and writing off need a reason.
 */
export const DEFAULT_FLOWS: Record<ContractEventType, StatusFlow> = {
  service: seedFlow({
    statuses: [
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'initial'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['assigned', 'Assigned', '#3B82F6', 'UserCheck', 'upcoming'],
      ['in_progress', 'In Progress', '#8B5CF6', 'Play', 'in_progress'],
      ['on_hold', 'On Hold', '#F59E0B', 'Pause', 'in_progress'],
      ['completed', 'Completed', '#10B981', 'CheckCircle', 'done', 'terminal'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
      ['reopened', 'Reopened', '#F97316', 'RotateCcw', 'in_progress'],
    ],
    transitions: [
      'scheduled>assigned',
      'scheduled>in_progress',
      'assigned>in_progress',
      'in_progress>completed +evidence',
      'assigned>on_hold +reason',
      'in_progress>on_hold +reason',
      'on_hold>assigned',
      'on_hold>in_progress',
      'scheduled>cancelled +reason',
      'assigned>cancelled +reason',
      'in_progress>cancelled +reason',
      'on_hold>cancelled +reason',
      'overdue>assigned',
      'overdue>in_progress',
      'overdue>cancelled +reason',
      'completed>reopened +reason',
      'reopened>in_progress',
      'scheduled>due +auto',
      'due>assigned',
      'due>in_progress',
      'due>cancelled +reason',
      'scheduled>overdue +auto',
      'due>overdue +auto',
      'assigned>overdue +auto',
    ],
  }),
  spare_part: seedFlow({
    statuses: [
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'initial'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['procurement_pending', 'Procurement Pending', '#F59E0B', 'ShoppingCart', 'in_progress'],
      ['ordered', 'Ordered', '#3B82F6', 'Package', 'in_progress'],
      ['shipped', 'Shipped', '#8B5CF6', 'Truck', 'in_progress'],
      ['delivered', 'Delivered', '#06B6D4', 'PackageCheck', 'in_progress'],
      ['installed', 'Installed', '#10B981', 'CheckCircle', 'done', 'terminal'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
      ['return_requested', 'Return Requested', '#F97316', 'RotateCcw', 'in_progress'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
    ],
    transitions: [
      'scheduled>procurement_pending',
      'procurement_pending>ordered',
      'ordered>shipped',
      'shipped>delivered',
      'delivered>installed',
      'installed>return_requested +reason',
      'delivered>return_requested +reason',
      'return_requested>procurement_pending',
      'scheduled>cancelled +reason',
      'procurement_pending>cancelled +reason',
      'ordered>cancelled +reason',
      'overdue>procurement_pending',
      'overdue>cancelled +reason',
      'scheduled>due +auto',
      'due>procurement_pending',
      'due>cancelled +reason',
      'scheduled>overdue +auto',
      'due>overdue +auto',
    ],
  }),
  billing: seedFlow({
    statuses: [
      ['scheduled', 'Scheduled', '#6B7280', 'Clock', 'upcoming', 'initial'],
      ['due', 'Due', '#F59E0B', 'BellRing', 'due'],
      ['invoice_generated', 'Invoice Generated', '#3B82F6', 'FileText', 'in_progress'],
      ['sent', 'Sent', '#8B5CF6', 'Send', 'in_progress'],
      ['payment_pending', 'Payment Pending', '#F59E0B', 'Clock', 'in_progress'],
      ['partial_payment', 'Partial Payment', '#F97316', 'CircleDot', 'in_progress'],
      ['paid', 'Paid', '#10B981', 'CheckCircle', 'done', 'terminal'],
      ['overdue', 'Overdue', '#DC2626', 'AlertTriangle', 'overdue'],
      ['waived', 'Waived', '#6B7280', 'MinusCircle', 'done', 'terminal'],
      ['bad_debt', 'Bad Debt', '#7F1D1D', 'Ban', 'cancelled', 'terminal'],
      ['adjustment', 'Adjustment', '#6366F1', 'ArrowRightCircle', 'done', 'terminal'],
      ['cancelled', 'Cancelled', '#EF4444', 'XCircle', 'cancelled', 'terminal'],
    ],
    transitions: [
      'scheduled>due +auto',
      'scheduled>overdue +auto',
      'due>overdue +auto',
      'invoice_generated>overdue +auto',
      'sent>overdue +auto',
      'payment_pending>overdue +auto',
      'scheduled>invoice_generated',
      'due>invoice_generated',
      'invoice_generated>sent',
      'sent>payment_pending',
      'overdue>payment_pending',
      'scheduled>cancelled +reason',
      'due>cancelled +reason',
      'invoice_generated>cancelled +reason',
      'overdue>cancelled +reason',
      'partial_payment>cancelled +reason',
      'due>waived +reason',
      'overdue>waived +reason',
      'payment_pending>waived +reason',
      'partial_payment>waived +reason',
      'due>bad_debt +reason',
      'overdue>bad_debt +reason',
      'partial_payment>bad_debt +reason',
      'due>adjustment +reason',
      'overdue>adjustment +reason',
      'partial_payment>adjustment +reason',
      'scheduled|due|invoice_generated|sent|payment_pending|overdue|partial_payment>paid +auto',
      'scheduled|due|invoice_generated|sent|payment_pending|overdue>partial_payment +auto',
    ],
  }),
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
