import type { ContractEventDetailView, ContractEventView, EventTaskView } from '@app/shared/api/events/contract-events.views';
import { Assignee } from './event-assignee.repository';
import { ContractEventRow } from './contract-event.repository';

/** The API shape of a contract event. */
export function eventView(e: ContractEventRow, assignees: Assignee[] = []): ContractEventView {
  return {
    id: e.id,
    taskId: e.taskId,
    contractId: e.contractId,
    type: e.eventType,
    title: e.title,
    status: e.status,
    statusChangedAt: new Date(e.statusChangedAt).toISOString(),
    scheduledDate: new Date(e.scheduledDate).toISOString(),
    originalDate: new Date(e.originalDate).toISOString(),
    sequenceNumber: e.sequenceNumber,
    totalOccurrences: e.totalOccurrences,
    partId: e.partId,
    promiseQty: e.promiseQty,
    quantity: e.quantity,
    isUnlimited: e.isUnlimited,
    amount: e.amount,
    amountSettled: e.eventType === 'billing' ? e.amountSettled : null,
    currency: e.currency,
    notes: e.notes,
    assignees: assignees.map((a) => ({ userId: a.userId, name: a.name ?? null, role: a.role })),
    version: e.version,
    source: e.source,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

/** GET /events/{id}: the event with its sub-tasks. */
export function eventDetailView(e: ContractEventRow, assignees: Assignee[], tasks: TaskFields[]): ContractEventDetailView {
  return { ...eventView(e, assignees), tasks: tasks.map(taskView) };
}

interface TaskFields {
  id: string;
  title: string;
  dueDate: string | null;
  required: boolean;
  done: boolean;
  doneAt: Date | string | null;
  isAutoTriggered: boolean;
  source: string;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export function taskView(t: TaskFields): EventTaskView {
  return {
    id: t.id,
    title: t.title,
    dueDate: t.dueDate,
    required: t.required,
    done: t.done,
    doneAt: t.doneAt ? new Date(t.doneAt).toISOString() : null,
    isAutoTriggered: t.isAutoTriggered,
    source: t.source,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

/** CONTRACT_EVENT_CREATED payload of an event. */
export function createdPayload(
  e: ContractEventRow | Omit<ContractEventRow, 'statusChangedAt' | 'amountSettled' | 'notes' | 'version' | 'createdAt' | 'updatedAt'>,
) {
  return {
    eventId: e.id,
    contractId: e.contractId,
    taskId: e.taskId,
    eventType: e.eventType,
    title: e.title,
    status: e.status,
    scheduledDate: new Date(e.scheduledDate).toISOString(),
    originalDate: new Date(e.originalDate).toISOString(),
    ...(e.sequenceNumber != null ? { sequenceNumber: e.sequenceNumber } : {}),
    ...(e.totalOccurrences != null ? { totalOccurrences: e.totalOccurrences } : {}),
    ...(e.promiseQty != null ? { promiseQty: e.promiseQty } : {}),
    isUnlimited: e.isUnlimited,
    ...(e.amount != null ? { amount: e.amount } : {}),
    ...(e.currency ? { currency: e.currency } : {}),
    ...(e.partId ? { partId: e.partId } : {}),
    source: e.source,
  };
}
