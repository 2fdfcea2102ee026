import { Injectable } from '@nestjs/common';
import { RemoveTicketEventDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusMover } from '../ticket-status-mover';
import { toTicketView } from '../ticket.view';
import { lockOpenTicket } from './ticket-lookup';

/** Takes an event off an open ticket; a ticket keeps at least one (cancel it instead). */
@Injectable()
export class RemoveTicketEventUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly mover: TicketStatusMover,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: RemoveTicketEventDto): Promise<TicketView> {
    return this.db.run(async (tx) => {
      const ticket = await lockOpenTicket(tx, this.tickets, this.mover, ctx, dto.id, dto.version);
      const current = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
      if (!current.includes(dto.eventId)) throw DomainError.notFound('event on this ticket', dto.eventId);
      if (current.length === 1) throw DomainError.rule('a ticket keeps at least one event; cancel the ticket instead', { reason: 'LAST_EVENT' });
      await this.tickets.unlink(tx, ctx.tenantId, ticket.id, dto.eventId);
      const now = this.clock.now();
      const version = await this.tickets.touch(tx, ctx.tenantId, ticket.id, now);
      return toTicketView(
        { ...ticket, version, updatedAt: now },
        current.filter((id) => id !== dto.eventId),
      );
    });
  }
}
