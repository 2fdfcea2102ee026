import { Controller } from '@nestjs/common';
import { listAppointmentIssues, reportAppointmentIssue } from '@app/shared/api/tickets/appointments.operations';
import { ListIssuesQuery, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { listTicketIssues, reportTicketIssue } from '@app/shared/api/tickets/tickets.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ReportIssueUseCase } from './report-issue.use-case';

@Controller()
export class IssuesRpcController {
  constructor(private readonly issues: ReportIssueUseCase) {}

  @Handles(reportTicketIssue)
  onTicket(input: ReportIssueDto, ctx: RequestContext) {
    return this.issues.onTicket(ctx, input);
  }

  @Handles(reportAppointmentIssue)
  onAppointment(input: ReportIssueDto, ctx: RequestContext) {
    return this.issues.onAppointment(ctx, input);
  }

  @Handles(listTicketIssues)
  listOnTicket(input: ListIssuesQuery, ctx: RequestContext) {
    return this.issues.list(ctx, input, 'ticket');
  }

  @Handles(listAppointmentIssues)
  listOnAppointment(input: ListIssuesQuery, ctx: RequestContext) {
    return this.issues.list(ctx, input, 'appointment');
  }
}
