import { Injectable } from '@nestjs/common';
import { AddTicketEventsDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { assertGroupable } from '../ticket-grouping';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusMover } from '../ticket-status-mover';
import { toTicketView } from '../ticket.view';
import { lockOpenTicket, refuseHeldEvents } from './ticket-lookup';

/** Adds events of the ticket's contract to an open ticket (the grouping rules of a new ticket apply). */
@Injectable()
export class AddTicketEventsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly readModel: ReadModelRepository,
    private readonly mover: TicketStatusMover,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: AddTicketEventsDto): Promise<TicketView> {
    await this.readModel.caughtUp(this.db.reader, ctx.tenantId, null, dto.eventIds);
    return this.db.run(async (tx) => {
      let ticket = await lockOpenTicket(tx, this.tickets, this.mover, ctx, dto.id, dto.version);
      const current = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
      const added = dto.eventIds.filter((id) => !current.includes(id));
      const events = await this.readModel.events(tx, ctx.tenantId, added);
      assertGroupable(ticket.contractId, added, events, await this.tickets.openTicketsHolding(tx, ctx.tenantId, added, ticket.id));
      if (added.length > 0) {
        const byId = new Map(events.map((e) => [e.id, e]));
        refuseHeldEvents(
          await this.tickets.link(
            tx,
            ctx.tenantId,
            ticket.id,
            added.map((id) => byId.get(id)!),
          ),
        );
        const now = this.clock.now();
        ticket = { ...ticket, version: await this.tickets.touch(tx, ctx.tenantId, ticket.id, now), updatedAt: now };
      }
      return toTicketView(ticket, await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id));
    });
  }
}
