import { Assignee } from './event-assignee.repository';
import { ContractEventRow } from './contract-event.repository';

/** The API shape of a contract event. */
export function eventView(e: ContractEventRow, assignees: Assignee[] = [], extra: Record<string, unknown> = {}) {
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
    ...extra,
  };
}

/** CONTRACT_EVENT_CREATED payload of an event. */
export function createdPayload(e: ContractEventRow | (Omit<ContractEventRow, 'statusChangedAt' | 'amountSettled' | 'notes' | 'version' | 'createdAt' | 'updatedAt'>)) {
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
