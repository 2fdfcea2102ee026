import { Controller } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { ListIssuesDto, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { ReportIssueUseCase } from './report-issue.use-case';

@Controller()
export class IssuesRpcController {
  constructor(private readonly issues: ReportIssueUseCase) {}

  @RpcHandler('tickets.issues.report-on-ticket', ReportIssueDto)
  onTicket(body: ReportIssueDto, ctx: RequestContext) {
    return this.issues.onTicket(ctx, body);
  }

  @RpcHandler('tickets.issues.report-on-appointment', ReportIssueDto)
  onAppointment(body: ReportIssueDto, ctx: RequestContext) {
    return this.issues.onAppointment(ctx, body);
  }

  @RpcHandler('tickets.issues.list-on-ticket', ListIssuesDto)
  listOnTicket(body: ListIssuesDto, ctx: RequestContext) {
    return this.issues.list(ctx, body, 'ticket');
  }

  @RpcHandler('tickets.issues.list-on-appointment', ListIssuesDto)
  listOnAppointment(body: ListIssuesDto, ctx: RequestContext) {
    return this.issues.list(ctx, body, 'appointment');
  }
}
