import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReportActivityIssueDto } from '@app/shared/api/events/activities.dto';
import type { ActivityIssueView } from '@app/shared/api/events/activities.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventAuditRepository } from '../../contract-events/event-audit.repository';
import { ActivityIssue, ActivityRepository } from '../activity.repository';
import { checkMayCarryOut, lockActivity, activityAudit } from './activity-lookup';

export const MAX_ISSUES_PER_ACTIVITY = 100;

/** Records an issue on an activity and announces ACTIVITY_ISSUE_REPORTED. */
@Injectable()
export class ReportActivityIssueUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: ReportActivityIssueDto): Promise<ActivityIssueView> {
    return this.db.run(async (tx) => {
      const { event, activity: a } = await lockActivity(tx, this.events, this.activities, ctx.tenantId, input);
      checkMayCarryOut(ctx, a);
      if (a.issues.length >= MAX_ISSUES_PER_ACTIVITY) {
        throw DomainError.rule(`activity ${a.id} already has ${MAX_ISSUES_PER_ACTIVITY} issues`, { activityId: a.id });
      }
      const now = this.clock.now();
      const at = now.toISOString();
      const issue: ActivityIssue = {
        id: randomUUID(),
        issueType: input.issueType,
        description: input.description,
        impactLevel: input.impactLevel,
        photoUrls: input.photoUrls ?? [],
        reportedBy: ctx.actor.id,
        reportedAt: at,
      };
      const version = await this.activities.addIssue(tx, ctx.tenantId, a.id, issue, now);
      await this.audit.append(tx, [
        activityAudit(ctx, event.id, { from: null, to: `${a.id}: issue ${issue.id} (${issue.issueType}, ${issue.impactLevel})` }, now),
      ]);
      await this.outbox.append(tx, ctx, [
        {
          type: 'ACTIVITY_ISSUE_REPORTED',
          aggregateId: a.id,
          aggregateVersion: version,
          payload: {
            activityId: a.id,
            eventId: event.id,
            issueId: issue.id,
            reportedBy: issue.reportedBy,
            reportedAt: at,
            issueType: issue.issueType,
            description: issue.description,
            impactLevel: issue.impactLevel,
            ...(issue.photoUrls.length ? { photoUrls: issue.photoUrls } : {}),
            occurredAt: at,
          },
        },
      ]);
      return issue;
    });
  }
}
