import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { isClosedStatus } from '../../settings/ticket-flows';
import { TicketRepository, TicketRow } from '../ticket.repository';
import { TicketStatusMover } from '../ticket-status-mover';

/** The ticket, locked, at the version the caller saw (when it names one). */
export async function lockTicket(tx: Db, tickets: TicketRepository, ctx: RequestContext, id: string, version?: number): Promise<TicketRow> {
  const ticket = await tickets.lockOrFail(tx, ctx.tenantId, id);
  if (version !== undefined && ticket.version !== version) throw DomainError.versionConflict(version, ticket.version);
  return ticket;
}

/** As `lockTicket`, and still open: a completed or cancelled ticket's events no longer change. */
export async function lockOpenTicket(
  tx: Db,
  tickets: TicketRepository,
  mover: TicketStatusMover,
  ctx: RequestContext,
  id: string,
  version?: number,
): Promise<TicketRow> {
  const ticket = await lockTicket(tx, tickets, ctx, id, version);
  if (isClosedStatus(await mover.machine(tx, ctx.tenantId), ticket.status)) {
    throw DomainError.rule(`ticket ${ticket.ticketNumber} is ${ticket.status}; its events can no longer change`, { reason: 'TICKET_CLOSED' });
  }
  return ticket;
}

/** Events another open ticket took while this request ran (the partial unique index decided). */
export function refuseHeldEvents(eventIds: string[]): void {
  if (eventIds.length > 0) throw DomainError.rule('events are already on an open ticket', { reason: 'ALREADY_ON_OPEN_TICKET', eventIds });
}
