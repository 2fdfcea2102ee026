import { Injectable } from '@nestjs/common';
import { TransitionTicketDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusMover } from '../ticket-status-mover';
import { toTicketView } from '../ticket.view';
import { lockTicket } from './ticket-lookup';

/** A person moves a ticket to another status of the tenant's flow. */
@Injectable()
export class TransitionTicketUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly mover: TicketStatusMover,
  ) {}

  async execute(ctx: RequestContext, dto: TransitionTicketDto): Promise<TicketView> {
    return this.db.run(async (tx) => {
      const ticket = await lockTicket(tx, this.tickets, ctx, dto.id, dto.version);
      const moved = await this.mover.move(tx, ctx, ticket, dto.toStatus, dto.reason);
      return toTicketView(moved, await this.tickets.eventIdsOf(tx, ctx.tenantId, moved.id));
    });
  }
}
