import { Injectable } from '@nestjs/common';
import { TicketRef } from '@app/shared/api/tickets/tickets.dto';
import { TicketDetailView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { EvidenceRepository } from '../../evidence/evidence.repository';
import { toEvidenceView } from '../../evidence/evidence.view';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { TicketRepository } from '../ticket.repository';
import { toStatusChangeView, toTicketDetailView, toTicketEventView } from '../ticket.view';

/** One ticket with its events (from the read model), its evidence and its status history. */
@Injectable()
export class GetTicketUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
    private readonly readModel: ReadModelRepository,
  ) {}

  async execute(ctx: RequestContext, ref: TicketRef): Promise<TicketDetailView> {
    const db = this.db.reader;
    const ticket = await this.tickets.findOrFail(db, ctx.tenantId, ref.id);
    const eventIds = await this.tickets.eventIdsOf(db, ctx.tenantId, ticket.id);
    const [events, evidence, history] = await Promise.all([
      this.readModel.events(db, ctx.tenantId, eventIds),
      this.evidence.ofTicket(db, ctx.tenantId, ticket.id),
      this.tickets.history(db, ctx.tenantId, ticket.id),
    ]);
    return toTicketDetailView(ticket, eventIds, {
      events: events.map(toTicketEventView),
      evidence: evidence.map(toEvidenceView),
      history: history.map(toStatusChangeView),
    });
  }
}
