import { Injectable } from '@nestjs/common';
import { StartActivityDto } from '@app/shared/api/events/activities.dto';
import type { ActivityView } from '@app/shared/api/events/activities.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventAuditRepository } from '../../contract-events/event-audit.repository';
import { ActivityRepository } from '../activity.repository';
import { activityStatus, activityView } from '../activity.view';
import { checkMayCarryOut, checkVersion, lockActivity, activityAudit } from './activity-lookup';

/** Starts an assigned activity (once: a repeat answers it as it is). Announces ACTIVITY_STARTED. */
@Injectable()
export class StartActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: StartActivityDto): Promise<ActivityView> {
    return this.db.run(async (tx) => {
      const { event, activity: a } = await lockActivity(tx, this.events, this.activities, ctx.tenantId, input);
      checkMayCarryOut(ctx, a);
      const status = activityStatus(a);
      if (status === 'in_progress') return activityView(a);
      if (status === 'completed') throw DomainError.rule(`activity ${a.id} is already completed`, { activityId: a.id, status });
      if (status === 'open') throw DomainError.rule(`activity ${a.id} has nobody assigned: assign it before starting it`, { activityId: a.id, status });
      checkVersion(a, input.version);
      const now = this.clock.now();
      const version = await this.activities.save(tx, ctx.tenantId, a, { startedBy: ctx.actor.id, startedAt: now }, now);
      await this.audit.append(tx, [activityAudit(ctx, event.id, { from: `${a.id}: assigned`, to: `${a.id}: in_progress` }, now)]);
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'ACTIVITY_STARTED',
          aggregateId: a.id,
          aggregateVersion: version,
          payload: {
            activityId: a.id,
            eventId: event.id,
            startedBy: ctx.actor.id,
            startedAt: at,
            kitsInUse: a.kitsInUse,
            staffExecuting: [a.assigneeId!],
            occurredAt: at,
          },
        },
      ]);
      return activityView((await this.activities.find(tx, ctx.tenantId, event.id, a.id))!);
    });
  }
}
