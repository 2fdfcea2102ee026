import { Module } from '@nestjs/common';
import { IssueRecorder } from './issue-recorder';
import { IssueRepository } from './issue.repository';
import { IssuesRpcController } from './issues.rpc.controller';
import { ListAppointmentIssuesUseCase } from './use-cases/list-appointment-issues.use-case';
import { ListTicketIssuesUseCase } from './use-cases/list-ticket-issues.use-case';
import { ReportAppointmentIssueUseCase } from './use-cases/report-appointment-issue.use-case';
import { ReportTicketIssueUseCase } from './use-cases/report-ticket-issue.use-case';

/** Issue reports on tickets and visits. */
@Module({
  controllers: [IssuesRpcController],
  providers: [IssueRepository, IssueRecorder, ReportTicketIssueUseCase, ReportAppointmentIssueUseCase, ListTicketIssuesUseCase, ListAppointmentIssuesUseCase],
})
export class IssuesModule {}
