import { Injectable } from '@nestjs/common';
import { PrepareKitDto } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { KIT_CONDITIONS } from '@app/shared/catalog/activities-kits.catalog';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository, KitRow } from '../kit.repository';
import { kitView } from '../kit.view';
import { checkComponentIds, lockKit, saveKit } from './kit-lookup';

/** Records that an assigned kit was prepared, with the condition of its components. Announces KIT_PREPARED. */
@Injectable()
export class PrepareKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: PrepareKitDto): Promise<KitView> {
    return this.db.run(async (tx) => {
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.id);
      if (!k.currentAssignmentId) throw DomainError.rule(`kit ${k.label} is not assigned to an activity: assign it first`, { kitId: k.id, status: k.status });
      if (k.status === 'checked_out') throw DomainError.rule(`kit ${k.label} is already checked out`, { kitId: k.id, status: k.status });
      checkComponentIds(k, input.components);
      const conditions = new Map((input.components ?? []).map((c) => [c.id, c.condition]));
      const next: KitRow = { ...k, status: 'prepared', components: k.components.map((c) => ({ ...c, condition: conditions.get(c.id) ?? c.condition })) };
      const a = (await this.kits.findAssignment(tx, ctx.tenantId, k.currentAssignmentId))!;
      const now = this.clock.now();
      await this.kits.saveAssignment(tx, ctx.tenantId, { ...a, status: 'prepared', preparedBy: ctx.actor.id, preparedAt: now });
      const components = next.components.map((c) => ({
        id: c.id,
        name: c.name,
        quantity: c.missing ? 0 : c.quantity,
        condition: (KIT_CONDITIONS as readonly string[]).includes(c.condition) ? c.condition : 'poor',
      }));
      const version = await saveKit(tx, this.kits, ctx, k, next, {
        action: 'prepared',
        assignmentId: a.id,
        details: { components, ...(input.notes ? { notes: input.notes } : {}) },
        at: now,
      });
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'KIT_PREPARED',
          aggregateId: k.id,
          aggregateVersion: version,
          payload: {
            kitAssignmentId: a.id,
            activityId: a.activityId,
            eventId: a.eventId,
            kitInstanceId: k.id,
            preparedBy: ctx.actor.id,
            preparedAt: at,
            components,
            ...(input.notes ? { notes: input.notes } : {}),
            occurredAt: at,
          },
        },
      ]);
      return kitView((await this.kits.find(tx, ctx.tenantId, k.id))!, await this.kits.findAssignment(tx, ctx.tenantId, a.id));
    });
  }
}
