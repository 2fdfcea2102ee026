import { ContractEventReadModel } from '../read-model/read-model.entities';
import { ServiceTicketEntity } from './ticket.entities';

export function toTicketView(t: ServiceTicketEntity, eventIds: string[], extra: Record<string, unknown> = {}) {
  return {
    id: t.id,
    ticketNumber: t.ticketNumber,
    contractId: t.contractId,
    status: t.status,
    eventIds,
    assignees: t.assignees,
    scheduledFor: t.scheduledFor?.toISOString() ?? null,
    startedAt: t.startedAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    cancelledAt: t.cancelledAt?.toISOString() ?? null,
    notes: t.notes,
    createdBy: { id: t.createdBy, name: t.createdByName },
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    ...extra,
  };
}

export function toTicketEventView(e: ContractEventReadModel) {
  return {
    id: e.id,
    taskId: e.taskId,
    type: e.eventType,
    title: e.title,
    status: e.status,
    scheduledDate: e.scheduledDate?.toISOString() ?? null,
  };
}
