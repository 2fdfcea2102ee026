import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateActivityDto } from '@app/shared/api/events/activities.dto';
import type { ActivityView } from '@app/shared/api/events/activities.views';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventAuditRepository } from '../../contract-events/event-audit.repository';
import { lockEvent } from '../../contract-events/use-cases/event-lookup';
import { ActivityRepository } from '../activity.repository';
import { activityView } from '../activity.view';

/**
 * Adds an activity to an event: a sub-task row of kind `activity`, so the event's checklist, its sub-task
 * gate and its audit see it like any sub-task. Announces ACTIVITY_CREATED and EVENT_TASK_CREATED.
 */
@Injectable()
export class CreateActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
    private readonly audit: EventAuditRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CreateActivityDto): Promise<ActivityView> {
    return this.db.run(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id);
      const kitTemplateIds = [...new Set(input.requiredKitTemplateIds ?? [])];
      const known = await this.activities.knownKitTemplates(tx, ctx.tenantId, kitTemplateIds);
      const unknown = kitTemplateIds.find((id) => !known.has(id));
      if (unknown) throw DomainError.notFound('kit template', unknown);

      const now = this.clock.now();
      const source = sourceOf(ctx.actor);
      const id = randomUUID();
      await this.activities.insert(
        tx,
        ctx.tenantId,
        {
          id,
          eventId: e.id,
          title: input.title,
          activityType: input.activityType,
          description: input.description ?? '',
          durationMinutes: input.duration ?? null,
          requiredKitTemplateIds: kitTemplateIds,
          requiredStaffRoles: [...new Set(input.requiredStaffRoles ?? [])],
          required: input.required ?? false,
          dueDate: input.dueDate ?? null,
          createdBy: ctx.actor.id,
          source,
          isAutoTriggered: source !== 'user',
        },
        now,
      );
      const a = (await this.activities.find(tx, ctx.tenantId, e.id, id))!;
      const eventVersion = await this.events.touch(tx, e, now);
      await this.audit.append(tx, [
        {
          tenantId: ctx.tenantId,
          eventId: e.id,
          field: 'activity',
          from: null,
          to: `${a.id}: ${a.title} (${a.activityType})`,
          actor: ctx.actor,
          source,
          at: now,
        },
      ]);
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'ACTIVITY_CREATED',
          aggregateId: a.id,
          aggregateVersion: a.version,
          payload: {
            activityId: a.id,
            eventId: e.id,
            bookingId: e.contractId,
            createdBy: ctx.actor.id,
            createdAt: at,
            title: a.title,
            activityType: a.activityType,
            description: a.description,
            ...(a.durationMinutes !== null ? { duration: a.durationMinutes } : {}),
            requiredKitTemplateIds: a.requiredKitTemplateIds,
            requiredStaffRoles: a.requiredStaffRoles,
            required: a.required,
            occurredAt: at,
          },
        },
        {
          type: 'EVENT_TASK_CREATED',
          aggregateId: e.id,
          aggregateVersion: eventVersion,
          payload: {
            eventTaskId: a.id,
            eventId: e.id,
            contractId: e.contractId,
            title: a.title,
            ...(a.dueDate ? { dueDate: a.dueDate } : {}),
            required: a.required,
            isAutoTriggered: source !== 'user',
            source,
            occurredAt: at,
          },
        },
      ]);
      return activityView(a);
    });
  }
}
