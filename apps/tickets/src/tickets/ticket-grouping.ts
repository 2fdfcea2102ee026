import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { TICKET_EVENT_TYPES } from '@app/shared/api/tickets/tickets.vocabulary';

export interface GroupableEvent {
  id: string;
  contractId: string;
  eventType: string;
  status: string;
}

/** Statuses after which an event has nothing left to execute in a visit. */
export const CLOSED_EVENT_STATUSES = ['completed', 'cancelled', 'installed', 'paid', 'waived', 'bad_debt', 'adjustment'];

/**
 * One ticket = one contract: it groups service and spare_part events of that contract that are still open and
 * not already on another open ticket. Unknown ids (including another tenant's) are NOT_FOUND; every other
 * refusal is a 422 whose `details.reason` says which rule, with the offending event ids.
 */
export function assertGroupable(
  contractId: string,
  requestedIds: string[],
  found: GroupableEvent[],
  onOpenTickets: Array<{ eventId: string; ticketId: string; ticketNumber: string }>,
): void {
  const byId = new Map(found.map((e) => [e.id, e]));
  const missing = requestedIds.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new DomainError(ErrorCode.NOT_FOUND, `event${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} not found`, {
      eventIds: missing,
    });
  }
  const events = requestedIds.map((id) => byId.get(id)!);
  const otherContract = events.filter((e) => e.contractId !== contractId).map((e) => e.id);
  if (otherContract.length > 0) {
    throw DomainError.rule(`a ticket covers one contract: events ${otherContract.join(', ')} belong to another contract`, {
      reason: 'OTHER_CONTRACT',
      eventIds: otherContract,
    });
  }
  const notVisit = events.filter((e) => !(TICKET_EVENT_TYPES as readonly string[]).includes(e.eventType)).map((e) => e.id);
  if (notVisit.length > 0) {
    throw DomainError.rule(`billing events are not executed in a visit: ${notVisit.join(', ')}`, {
      reason: 'BILLING_EVENT',
      eventIds: notVisit,
    });
  }
  const closed = events.filter((e) => CLOSED_EVENT_STATUSES.includes(e.status)).map((e) => e.id);
  if (closed.length > 0) {
    throw DomainError.rule(`events ${closed.join(', ')} are already closed`, { reason: 'EVENT_CLOSED', eventIds: closed });
  }
  if (onOpenTickets.length > 0) {
    const list = onOpenTickets.map((o) => `${o.eventId} (${o.ticketNumber})`).join(', ');
    throw DomainError.rule(`events are already on an open ticket: ${list}`, {
      reason: 'ALREADY_ON_OPEN_TICKET',
      eventIds: onOpenTickets.map((o) => o.eventId),
      ticketIds: [...new Set(onOpenTickets.map((o) => o.ticketId))],
    });
  }
}
