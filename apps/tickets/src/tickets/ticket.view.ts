import { TicketDetailView, TicketEventView, TicketStatusChangeView, TicketView } from '@app/shared/api/tickets/tickets.views';
import { ContractEventRow } from '../read-model/read-model.repository';
import { TicketHistoryRow, TicketRow } from './ticket.repository';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTicketView(t: TicketRow, eventIds: string[]): TicketView {
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

export function toTicketDetailView(t: TicketRow, eventIds: string[], detail: Pick<TicketDetailView, 'events' | 'evidence' | 'history'>): TicketDetailView {
  return { ...toTicketView(t, eventIds), events: detail.events, evidence: detail.evidence, history: detail.history };
}

export function toTicketEventView(e: ContractEventRow): TicketEventView {
  return {
    id: e.id,
    taskId: e.taskId,
    type: e.eventType,
    title: e.title,
    status: e.status,
    scheduledDate: iso(e.scheduledDate),
  };
}

/** A row of the shared history shape, as the API names it (`secondsInPrevious`). */
export function toStatusChangeView(h: TicketHistoryRow): TicketStatusChangeView {
  return {
    from: h.from,
    to: h.to,
    reason: h.reason,
    actor: { type: h.actorType, id: h.actorId ?? '', name: h.actorName ?? '' },
    at: h.at.toISOString(),
    secondsInPrevious: h.secondsInPrevious,
  };
}
