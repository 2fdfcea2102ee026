import { IssueReportView } from '@app/shared/api/tickets/issues.dto';
import { IssueRow } from './issue.repository';

export function toIssueView(i: IssueRow): IssueReportView {
  return {
    id: i.id,
    contractId: i.contractId,
    ticketId: i.ticketId,
    appointmentId: i.appointmentId,
    eventId: i.eventId,
    type: i.type,
    severity: i.severity,
    description: i.description,
    immediateActionTaken: i.immediateActionTaken,
    reportedBy: { id: i.reportedBy, name: i.reportedByName },
    reportedAt: i.reportedAt.toISOString(),
  };
}
