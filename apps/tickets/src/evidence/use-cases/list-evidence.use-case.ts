import { Injectable } from '@nestjs/common';
import { EvidenceView, ListEvidenceQuery } from '@app/shared/api/tickets/evidence.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EvidenceRepository } from '../evidence.repository';
import { toEvidenceView } from '../evidence.view';

/** A ticket's evidence, oldest first (the order it was collected in), keyset-paginated. */
@Injectable()
export class ListEvidenceUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
  ) {}

  async execute(ctx: RequestContext, query: ListEvidenceQuery): Promise<Page<EvidenceView>> {
    const db = this.db.reader;
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const ticket = await this.tickets.findOrFail(db, ctx.tenantId, query.id);
    const rows = await this.evidence.list(db, ctx.tenantId, ticket.id, { after: after && { at: after[0], id: after[1] }, limit: limit + 1 });
    return pageOf(rows, limit, (e) => [e.cursorAt, e.id], toEvidenceView);
  }
}
