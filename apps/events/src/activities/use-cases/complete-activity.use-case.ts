import { Injectable } from '@nestjs/common';
import { CompleteActivityDto } from '@app/shared/api/events/activities.dto';
import type { ActivityView } from '@app/shared/api/events/activities.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventAuditRepository } from '../../contract-events/event-audit.repository';
import { ActivityOutcomes, ActivityRepository } from '../activity.repository';
import { activityStatus, activityView } from '../activity.view';
import { checkMayCarryOut, checkVersion, lockActivity, activityAudit } from './activity-lookup';

/**
 * Completes a started activity: the sub-task is ticked off (so a required one stops gating the event) and
 * ACTIVITY_COMPLETED and EVENT_TASK_COMPLETED are announced. A repeat answers it as it is.
 */
@Injectable()
export class CompleteActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CompleteActivityDto): Promise<ActivityView> {
    return this.db.run(async (tx) => {
      const { event, activity: a } = await lockActivity(tx, this.events, this.activities, ctx.tenantId, input);
      checkMayCarryOut(ctx, a);
      const status = activityStatus(a);
      if (status === 'completed') return activityView(a);
      if (status !== 'in_progress') throw DomainError.rule(`activity ${a.id} is ${status}: start it before completing it`, { activityId: a.id, status });
      checkVersion(a, input.version);
      const now = this.clock.now();
      const outcomes: ActivityOutcomes = {
        metrics: input.outcomes?.metrics ?? {},
        notes: input.outcomes?.notes ?? '',
        photoUrls: input.outcomes?.photoUrls ?? [],
      };
      const version = await this.activities.save(tx, ctx.tenantId, a, { done: true, doneAt: now, completedBy: ctx.actor.id, outcomes }, now);
      const eventVersion = await this.events.touch(tx, event, now);
      await this.audit.append(tx, [activityAudit(ctx, event.id, { from: `${a.id}: in_progress`, to: `${a.id}: completed` }, now)]);
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'ACTIVITY_COMPLETED',
          aggregateId: a.id,
          aggregateVersion: version,
          payload: {
            activityId: a.id,
            eventId: event.id,
            completedBy: ctx.actor.id,
            completedAt: at,
            outcomes: { metrics: outcomes.metrics, notes: outcomes.notes, ...(outcomes.photoUrls.length ? { photoUrls: outcomes.photoUrls } : {}) },
            occurredAt: at,
          },
        },
        {
          type: 'EVENT_TASK_COMPLETED',
          aggregateId: event.id,
          aggregateVersion: eventVersion,
          payload: { eventTaskId: a.id, eventId: event.id, contractId: event.contractId, title: a.title, completedAt: at, occurredAt: at },
        },
      ]);
      return activityView((await this.activities.find(tx, ctx.tenantId, event.id, a.id))!);
    });
  }
}
