import { Injectable } from '@nestjs/common';
import { CheckOutKitDto } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { ActivityRepository } from '../../activities/activity.repository';
import { KitRepository } from '../kit.repository';
import { kitView } from '../kit.view';
import { lockKit, saveKit } from './kit-lookup';

/** Checks a prepared kit out to a person, once per assignment. Announces KIT_CHECKED_OUT. */
@Injectable()
export class CheckOutKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
    private readonly activities: ActivityRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CheckOutKitDto): Promise<KitView> {
    return this.db.run(async (tx) => {
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.id);
      if (!k.currentAssignmentId)
        throw DomainError.rule(`kit ${k.label} is not assigned to an activity: assign and prepare it first`, { kitId: k.id, status: k.status });
      const a = (await this.kits.findAssignment(tx, ctx.tenantId, k.currentAssignmentId))!;
      if (a.status === 'checked_out') {
        throw new DomainError(ErrorCode.CONFLICT, `kit ${k.label} is already checked out to ${a.checkedOutTo} since ${a.checkedOutAt!.toISOString()}`, {
          kitId: k.id,
          status: k.status,
          checkedOutTo: a.checkedOutTo,
          checkedOutAt: a.checkedOutAt!.toISOString(),
        });
      }
      if (a.status !== 'prepared')
        throw DomainError.rule(`kit ${k.label} is ${a.status}: prepare it before checking it out`, { kitId: k.id, status: k.status });
      let to = input.checkedOutTo;
      if (!to) {
        const activity = await this.activities.find(tx, ctx.tenantId, a.eventId, a.activityId);
        to = activity?.assigneeId ?? undefined;
        if (!to) throw DomainError.rule(`activity ${a.activityId} has nobody assigned: say who takes the kit (checkedOutTo)`, { activityId: a.activityId });
      }
      const now = this.clock.now();
      const expected = new Date(input.expectedReturnDate);
      await this.kits.saveAssignment(tx, ctx.tenantId, {
        ...a,
        status: 'checked_out',
        checkedOutBy: ctx.actor.id,
        checkedOutAt: now,
        checkedOutTo: to,
        expectedReturnAt: expected,
      });
      const version = await saveKit(
        tx,
        this.kits,
        ctx,
        k,
        { ...k, status: 'checked_out' },
        {
          action: 'checked_out',
          assignmentId: a.id,
          details: { checkedOutTo: to, expectedReturnDate: expected.toISOString() },
          at: now,
        },
      );
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'KIT_CHECKED_OUT',
          aggregateId: k.id,
          aggregateVersion: version,
          payload: {
            kitAssignmentId: a.id,
            activityId: a.activityId,
            eventId: a.eventId,
            kitInstanceId: k.id,
            checkedOutBy: ctx.actor.id,
            checkedOutAt: at,
            checkedOutTo: to,
            expectedReturnDate: expected.toISOString(),
            occurredAt: at,
          },
        },
      ]);
      return kitView((await this.kits.find(tx, ctx.tenantId, k.id))!, await this.kits.findAssignment(tx, ctx.tenantId, a.id));
    });
  }
}
