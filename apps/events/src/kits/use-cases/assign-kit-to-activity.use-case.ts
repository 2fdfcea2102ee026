import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AssignKitDto } from '@app/shared/api/events/kits.dto';
import type { KitAssignmentView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { ActivityRepository } from '../../activities/activity.repository';
import { lockActivity } from '../../activities/use-cases/activity-lookup';
import { KitRepository } from '../kit.repository';
import { kitAssignmentView } from '../kit.view';
import { lockKit, saveKit } from './kit-lookup';

/** Assigns an available kit to an activity (idempotent for the same pair). Announces KIT_ASSIGNED_TO_ACTIVITY. */
@Injectable()
export class AssignKitToActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly kits: KitRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: AssignKitDto): Promise<KitAssignmentView> {
    return this.db.run(async (tx) => {
      // lock order: event, activity, kit
      const { event, activity } = await lockActivity(tx, this.events, this.activities, ctx.tenantId, input);
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.kitId);
      if (k.currentAssignmentId) {
        const current = (await this.kits.findAssignment(tx, ctx.tenantId, k.currentAssignmentId))!;
        if (current.activityId === activity.id) return kitAssignmentView(current);
        throw new DomainError(ErrorCode.CONFLICT, `kit ${k.label} is ${k.status} for activity ${current.activityId} of event ${current.eventId}`, {
          kitId: k.id,
          status: k.status,
          activityId: current.activityId,
          eventId: current.eventId,
        });
      }
      if (activity.done) throw DomainError.rule(`activity ${activity.id} is completed: it takes no more kits`, { activityId: activity.id });
      if (k.status === 'out_of_service') {
        throw DomainError.rule(`kit ${k.label} is out of service (condition ${k.condition}); record its repair first`, { kitId: k.id, status: k.status });
      }
      const now = this.clock.now();
      const assignment = {
        id: randomUUID(),
        kitInstanceId: k.id,
        kitTemplateId: k.templateId,
        activityId: activity.id,
        eventId: event.id,
        quantity: input.quantity ?? 1,
        notes: input.notes ?? null,
        assignedBy: ctx.actor.id,
        assignedAt: now,
      };
      await this.kits.insertAssignment(tx, ctx.tenantId, assignment);
      const version = await saveKit(
        tx,
        this.kits,
        ctx,
        k,
        { ...k, status: 'assigned', currentAssignmentId: assignment.id },
        {
          action: 'assigned',
          assignmentId: assignment.id,
          details: { activityId: activity.id, eventId: event.id, quantity: assignment.quantity },
          at: now,
        },
      );
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'KIT_ASSIGNED_TO_ACTIVITY',
          aggregateId: k.id,
          aggregateVersion: version,
          payload: {
            kitAssignmentId: assignment.id,
            activityId: activity.id,
            eventId: event.id,
            kitTemplateId: k.templateId,
            kitInstanceId: k.id,
            assignedBy: ctx.actor.id,
            assignedAt: at,
            quantity: assignment.quantity,
            ...(assignment.notes !== null ? { notes: assignment.notes } : {}),
            occurredAt: at,
          },
        },
      ]);
      return kitAssignmentView((await this.kits.findAssignment(tx, ctx.tenantId, assignment.id))!);
    });
  }
}
