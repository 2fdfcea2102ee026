import { Injectable } from '@nestjs/common';
import { IssueReportView, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TicketRepository } from '../../tickets/ticket.repository';
import { IssueRecorder } from '../issue-recorder';

/** An issue on a ticket (about one of its events, or the whole ticket). */
@Injectable()
export class ReportTicketIssueUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly tickets: TicketRepository,
    private readonly recorder: IssueRecorder,
  ) {}

  async execute(ctx: RequestContext, dto: ReportIssueDto): Promise<IssueReportView> {
    return this.db.run(async (tx) => {
      const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.id);
      const eventIds = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
      return this.recorder.record(tx, ctx, dto, { contractId: ticket.contractId, ticketId: ticket.id, appointmentId: null, eventIds });
    });
  }
}
