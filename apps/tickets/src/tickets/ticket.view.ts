import { TicketDetailView, TicketEventView, TicketStatusChangeView, TicketView } from '@app/shared/api/tickets/tickets.views';
import { ContractEventReadModel } from '../read-model/read-model.entities';
import { ServiceTicketEntity, StatusHistoryEntity } from './ticket.entities';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTicketView(t: ServiceTicketEntity, eventIds: string[]): TicketView {
  return {
    id: t.id,
    ticketNumber: t.ticketNumber,
    contractId: t.contractId,
    status: t.status,
    eventIds,
    assignees: t.assignees.map((a) => ({ userId: a.userId, name: a.name ?? null, role: a.role })),
    scheduledFor: iso(t.scheduledFor),
    startedAt: iso(t.startedAt),
    completedAt: iso(t.completedAt),
    cancelledAt: iso(t.cancelledAt),
    notes: t.notes,
    createdBy: { id: t.createdBy, name: t.createdByName },
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toTicketDetailView(
  t: ServiceTicketEntity,
  eventIds: string[],
  detail: Pick<TicketDetailView, 'events' | 'evidence' | 'history'>,
): TicketDetailView {
  return { ...toTicketView(t, eventIds), events: detail.events, evidence: detail.evidence, history: detail.history };
}

export function toTicketEventView(e: ContractEventReadModel): TicketEventView {
  return {
    id: e.id,
    taskId: e.taskId,
    type: e.eventType,
    title: e.title,
    status: e.status,
    scheduledDate: iso(e.scheduledDate),
  };
}

export function toStatusChangeView(h: StatusHistoryEntity): TicketStatusChangeView {
  return {
    from: h.fromStatus,
    to: h.toStatus,
    reason: h.reason,
    actor: { type: h.actor.type, id: h.actor.id, name: h.actor.name },
    at: h.at.toISOString(),
    secondsInPrevious: h.secondsInPrevious,
  };
}
