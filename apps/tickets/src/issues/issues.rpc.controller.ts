import { Controller } from '@nestjs/common';
import { listAppointmentIssues, reportAppointmentIssue } from '@app/shared/api/tickets/appointments.operations';
import { ListIssuesQuery, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { listTicketIssues, reportTicketIssue } from '@app/shared/api/tickets/tickets.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ListAppointmentIssuesUseCase } from './use-cases/list-appointment-issues.use-case';
import { ListTicketIssuesUseCase } from './use-cases/list-ticket-issues.use-case';
import { ReportAppointmentIssueUseCase } from './use-cases/report-appointment-issue.use-case';
import { ReportTicketIssueUseCase } from './use-cases/report-ticket-issue.use-case';

@Controller()
export class IssuesRpcController {
  constructor(
    private readonly reportOnTicket: ReportTicketIssueUseCase,
    private readonly reportOnAppointment: ReportAppointmentIssueUseCase,
    private readonly listOnTicket: ListTicketIssuesUseCase,
    private readonly listOnAppointment: ListAppointmentIssuesUseCase,
  ) {}

  @Handles(reportTicketIssue)
  onTicket(input: ReportIssueDto, ctx: RequestContext) {
    return this.reportOnTicket.execute(ctx, input);
  }

  @Handles(reportAppointmentIssue)
  onAppointment(input: ReportIssueDto, ctx: RequestContext) {
    return this.reportOnAppointment.execute(ctx, input);
  }

  @Handles(listTicketIssues)
  ofTicket(input: ListIssuesQuery, ctx: RequestContext) {
    return this.listOnTicket.execute(ctx, input);
  }

  @Handles(listAppointmentIssues)
  ofAppointment(input: ListIssuesQuery, ctx: RequestContext) {
    return this.listOnAppointment.execute(ctx, input);
  }
}
