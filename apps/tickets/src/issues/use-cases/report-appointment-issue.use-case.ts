import { Injectable } from '@nestjs/common';
import { IssueReportView, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { AppointmentRepository } from '../../appointments/appointment.repository';
import { IssueRecorder } from '../issue-recorder';

/** An issue on a visit; it shows on the visit's ticket too. */
@Injectable()
export class ReportAppointmentIssueUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly recorder: IssueRecorder,
  ) {}

  async execute(ctx: RequestContext, dto: ReportIssueDto): Promise<IssueReportView> {
    return this.db.run(async (tx) => {
      const a = await this.appointments.findOrFail(tx, ctx.tenantId, dto.id);
      return this.recorder.record(tx, ctx, dto, { contractId: a.contractId, ticketId: a.ticketId, appointmentId: a.id, eventIds: a.eventIds });
    });
  }
}
