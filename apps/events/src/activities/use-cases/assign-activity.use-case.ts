import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AssignActivityDto } from '@app/shared/api/events/activities.dto';
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
import { checkVersion, lockActivity, activityAudit } from './activity-lookup';

/** Assigns (or, before it starts, reassigns) the person who carries an activity out. Announces ACTIVITY_ASSIGNED. */
@Injectable()
export class AssignActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: AssignActivityDto): Promise<ActivityView> {
    return this.db.run(async (tx) => {
      const { event, activity: a } = await lockActivity(tx, this.events, this.activities, ctx.tenantId, input);
      const role = input.role ?? 'technician';
      const instructions = input.instructions ?? null;
      const name = input.name ?? null;
      // the same assignment again: nothing to do (a retry, or a second click)
      if (
        a.assigneeId === input.assigneeId &&
        a.assigneeRole === role &&
        a.instructions === instructions &&
        (input.name === undefined || a.assigneeName === name)
      ) {
        return activityView(a);
      }
      checkVersion(a, input.version);
      const status = activityStatus(a);
      if (status === 'in_progress' || status === 'completed') {
        throw DomainError.rule(`activity ${a.id} is ${status}: it cannot be reassigned`, { activityId: a.id, status });
      }
      const now = this.clock.now();
      const assignmentId = randomUUID();
      const version = await this.activities.save(
        tx,
        ctx.tenantId,
        a,
        { assignmentId, assigneeId: input.assigneeId, assigneeName: name, assigneeRole: role, instructions, assignedBy: ctx.actor.id, assignedAt: now },
        now,
      );
      await this.audit.append(tx, [
        activityAudit(ctx, event.id, { from: `${a.id}.assignee=${a.assigneeId ?? ''}`, to: `${a.id}.assignee=${input.assigneeId} (${role})` }, now),
      ]);
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'ACTIVITY_ASSIGNED',
          aggregateId: a.id,
          aggregateVersion: version,
          payload: {
            activityId: a.id,
            eventId: event.id,
            assignmentId,
            assignedTo: input.assigneeId,
            assignedBy: ctx.actor.id,
            assignedAt: at,
            role,
            ...(instructions !== null ? { instructions } : {}),
            occurredAt: at,
          },
        },
      ]);
      return activityView((await this.activities.find(tx, ctx.tenantId, event.id, a.id))!);
    });
  }
}
