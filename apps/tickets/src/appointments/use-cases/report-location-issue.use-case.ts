import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LocationIssueView, ReportLocationIssueDto } from '@app/shared/api/tickets/locations.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { AppointmentRepository } from '../appointment.repository';
import { locationRefs } from '../check-in-site';
import { LocationIssueRepository, LocationIssueRow } from '../location-issue.repository';

/** A person reports a problem with a visit's location (access, facilities, space, safety, other): kept and announced. */
@Injectable()
export class ReportLocationIssueUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly issues: LocationIssueRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  execute(ctx: RequestContext, dto: ReportLocationIssueDto): Promise<LocationIssueView> {
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const a = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      const issue: LocationIssueRow = {
        id: randomUUID(),
        tenantId: ctx.tenantId,
        appointmentId: a.id,
        issueType: dto.issueType,
        description: dto.description,
        impactLevel: dto.impactLevel,
        photoUrls: dto.photoUrls ?? [],
        needsImmediate: dto.needsImmediate ?? false,
        reason: null,
        distanceM: null,
        reportedBy: ctx.actor.id,
        reportedByName: ctx.actor.name,
        reportedAt: now,
      };
      await this.issues.insert(tx, issue);
      await this.outbox.append(tx, ctx, [
        {
          type: 'LOCATION_ISSUE_REPORTED',
          aggregateId: a.id,
          payload: {
            ...locationRefs(a),
            issueId: issue.id,
            reportedBy: ctx.actor.id,
            reportedAt: now.toISOString(),
            issueType: issue.issueType,
            description: issue.description,
            impactLevel: issue.impactLevel,
            ...(issue.photoUrls.length > 0 ? { photoUrls: issue.photoUrls } : {}),
            needsImmediate: issue.needsImmediate,
            occurredAt: now.toISOString(),
          },
        },
      ]);
      return toLocationIssueView(issue);
    });
  }
}

export function toLocationIssueView(i: LocationIssueRow): LocationIssueView {
  return {
    id: i.id,
    appointmentId: i.appointmentId,
    issueType: i.issueType,
    description: i.description,
    impactLevel: i.impactLevel,
    photoUrls: i.photoUrls,
    needsImmediate: i.needsImmediate,
    reason: i.reason,
    distanceMeters: i.distanceM,
    reportedBy: i.reportedBy,
    reportedByName: i.reportedByName,
    reportedAt: i.reportedAt.toISOString(),
  };
}
