import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReportKitIssueDto } from '@app/shared/api/events/kits.dto';
import type { KitIssueView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository } from '../kit.repository';
import { lockKit, saveKit } from './kit-lookup';

/** Records an issue with a kit against its open (or last) assignment. Announces KIT_ISSUE_REPORTED. */
@Injectable()
export class ReportKitIssueUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: ReportKitIssueDto): Promise<KitIssueView> {
    return this.db.run(async (tx) => {
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.id);
      const a = (await this.kits.latestAssignments(tx, ctx.tenantId, [k.id])).get(k.id);
      if (!a) throw DomainError.rule(`kit ${k.label} was never assigned to an activity: there is nothing to report it against`, { kitId: k.id });
      const now = this.clock.now();
      const at = now.toISOString();
      const issue: KitIssueView = {
        id: randomUUID(),
        kitId: k.id,
        kitAssignmentId: a.id,
        activityId: a.activityId,
        eventId: a.eventId,
        issueType: input.issueType,
        description: input.description,
        impactLevel: input.impactLevel,
        photoUrls: input.photoUrls ?? [],
        needsImmediate: input.needsImmediate ?? false,
        reportedBy: ctx.actor.id,
        reportedAt: at,
      };
      const version = await saveKit(tx, this.kits, ctx, k, k, { action: 'issue_reported', assignmentId: a.id, details: { ...issue }, at: now });
      await this.outbox.append(tx, ctx, [
        {
          type: 'KIT_ISSUE_REPORTED',
          aggregateId: k.id,
          aggregateVersion: version,
          payload: {
            kitAssignmentId: a.id,
            activityId: a.activityId,
            eventId: a.eventId,
            kitInstanceId: k.id,
            issueId: issue.id,
            reportedBy: issue.reportedBy,
            reportedAt: at,
            issueType: issue.issueType,
            description: issue.description,
            impactLevel: issue.impactLevel,
            ...(issue.photoUrls.length ? { photoUrls: issue.photoUrls } : {}),
            needsImmediate: issue.needsImmediate,
            occurredAt: at,
          },
        },
      ]);
      return issue;
    });
  }
}
