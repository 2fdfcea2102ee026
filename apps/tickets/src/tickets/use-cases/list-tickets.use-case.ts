import { Injectable } from '@nestjs/common';
import { ListTicketsQuery } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TicketRepository } from '../ticket.repository';
import { toTicketView } from '../ticket.view';

/** Tickets newest first, filtered, keyset-paginated on (createdAt, id). */
@Injectable()
export class ListTicketsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
  ) {}

  async execute(ctx: RequestContext, query: ListTicketsQuery): Promise<Page<TicketView>> {
    const db = this.db.reader;
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.tickets.list(db, ctx.tenantId, {
      contractId: query.contractId,
      status: query.status,
      assigneeId: query.assigneeId,
      after: after && { at: after[0], id: after[1] },
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (t) => [t.cursorAt, t.id]);
    const eventIds = await this.tickets.eventIdsOfMany(
      db,
      ctx.tenantId,
      page.items.map((t) => t.id),
    );
    return { items: page.items.map((t) => toTicketView(t, eventIds.get(t.id) ?? [])), nextCursor: page.nextCursor };
  }
}
