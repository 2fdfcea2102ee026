import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IssueReportView, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { IssueRepository } from './issue.repository';
import { toIssueView } from './issue.view';

/** Where an issue was reported: the visit's contract, ticket and appointment, and the events it is about. */
export interface IssueScope {
  contractId: string;
  ticketId: string | null;
  appointmentId: string | null;
  eventIds: string[];
}

/** Records an issue report (venue, staff, kit, logistics, client, other) and announces it as EVENT_ISSUE_REPORTED. */
@Injectable()
export class IssueRecorder {
  constructor(
    private readonly issues: IssueRepository,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async record(tx: Db, ctx: RequestContext, dto: ReportIssueDto, scope: IssueScope): Promise<IssueReportView> {
    if (dto.eventId && !scope.eventIds.includes(dto.eventId)) {
      await this.readModel.eventOrFail(tx, ctx.tenantId, dto.eventId);
      throw DomainError.rule(`event ${dto.eventId} is not part of this visit`, { reason: 'NOT_ON_TICKET' });
    }
    const now = this.clock.now();
    const issue = {
      id: randomUUID(),
      tenantId: ctx.tenantId,
      contractId: scope.contractId,
      ticketId: scope.ticketId,
      appointmentId: scope.appointmentId,
      eventId: dto.eventId ?? null,
      type: dto.type,
      severity: dto.severity,
      description: dto.description,
      immediateActionTaken: dto.immediateActionTaken ?? null,
      reportedBy: ctx.actor.id,
      reportedByName: ctx.actor.name,
      reportedAt: now,
    };
    await this.issues.insert(tx, issue);
    await this.outbox.append(tx, ctx, [
      {
        type: 'EVENT_ISSUE_REPORTED',
        aggregateId: issue.id,
        aggregateVersion: 1,
        payload: {
          issueId: issue.id,
          contractId: scope.contractId,
          bookingId: scope.contractId,
          ticketId: scope.ticketId ?? undefined,
          appointmentId: scope.appointmentId ?? undefined,
          eventId: dto.eventId,
          reportedBy: ctx.actor.id,
          reportedAt: now.toISOString(),
          issueType: dto.type,
          severity: dto.severity,
          description: dto.description,
          immediateActionTaken: dto.immediateActionTaken,
        },
      },
    ]);
    return toIssueView(issue);
  }
}
