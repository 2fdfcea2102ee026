import { Injectable } from '@nestjs/common';
import { IssueReportView, ListIssuesQuery } from '@app/shared/api/tickets/issues.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { AppointmentRepository } from '../../appointments/appointment.repository';
import { IssueRepository } from '../issue.repository';
import { toIssueView } from '../issue.view';

/** A visit's issues, newest first, keyset-paginated. */
@Injectable()
export class ListAppointmentIssuesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly issues: IssueRepository,
  ) {}

  async execute(ctx: RequestContext, query: ListIssuesQuery): Promise<Page<IssueReportView>> {
    const db = this.db.reader;
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    await this.appointments.findOrFail(db, ctx.tenantId, query.id);
    const rows = await this.issues.list(db, ctx.tenantId, { appointmentId: query.id }, { after: after && { at: after[0], id: after[1] }, limit: limit + 1 });
    return pageOf(rows, limit, (i) => [i.cursorAt, i.id], toIssueView);
  }
}
