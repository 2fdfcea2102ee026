import { Injectable } from '@nestjs/common';
import { ReturnKitDto } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { DamagedComponent, KitRepository, KitRow } from '../kit.repository';
import { kitView } from '../kit.view';
import { checkComponentIds, lockKit, saveKit } from './kit-lookup';

/**
 * Takes a checked-out kit back with the condition of each component: missing and damaged ones are recorded
 * on the kit, its assignment and KIT_RETURNED; a kit back damaged or incomplete is out of service.
 */
@Injectable()
export class ReturnKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: ReturnKitDto): Promise<KitView> {
    return this.db.run(async (tx) => {
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.id);
      if (!k.currentAssignmentId) {
        const last = (await this.kits.latestAssignments(tx, ctx.tenantId, [k.id])).get(k.id);
        // returned already: a retry answers the kit as it is
        if (last?.status === 'returned') return kitView(k, last);
        throw DomainError.rule(`kit ${k.label} is not checked out`, { kitId: k.id, status: k.status });
      }
      const a = (await this.kits.findAssignment(tx, ctx.tenantId, k.currentAssignmentId))!;
      if (a.status !== 'checked_out') throw DomainError.rule(`kit ${k.label} is ${a.status}, not checked out`, { kitId: k.id, status: k.status });
      checkComponentIds(k, input.components);

      const byId = new Map((input.components ?? []).map((c) => [c.id, c]));
      const missing: string[] = [];
      const damaged: DamagedComponent[] = [];
      const components = k.components.map((c) => {
        const back = byId.get(c.id);
        if (!back) return c;
        if (back.missing) missing.push(c.id);
        if (back.damage) damaged.push({ id: c.id, description: back.damage.description, severity: back.damage.severity });
        return { ...c, missing: back.missing ?? false, condition: back.damage ? 'damaged' : (back.condition ?? c.condition) };
      });
      const outOfService = input.condition === 'damaged' || components.some((c) => c.missing || c.condition === 'damaged');
      const next: KitRow = { ...k, condition: input.condition, components, status: outOfService ? 'out_of_service' : 'available', currentAssignmentId: null };
      const now = this.clock.now();
      const returnedBy = a.checkedOutTo!;
      const receivedBy = input.receivedBy ?? ctx.actor.id;
      await this.kits.saveAssignment(tx, ctx.tenantId, {
        ...a,
        status: 'returned',
        returnedBy,
        returnedAt: now,
        receivedBy,
        returnCondition: input.condition,
        missingComponents: missing,
        damagedComponents: damaged,
      });
      const version = await saveKit(tx, this.kits, ctx, k, next, {
        action: 'returned',
        assignmentId: a.id,
        details: { returnedBy, receivedBy, missingComponents: missing, damagedComponents: damaged, ...(input.notes ? { notes: input.notes } : {}) },
        at: now,
      });
      const at = now.toISOString();
      await this.outbox.append(tx, ctx, [
        {
          type: 'KIT_RETURNED',
          aggregateId: k.id,
          aggregateVersion: version,
          payload: {
            kitAssignmentId: a.id,
            activityId: a.activityId,
            eventId: a.eventId,
            kitInstanceId: k.id,
            returnedBy,
            returnedAt: at,
            receivedBy,
            condition: input.condition,
            ...(missing.length ? { missingComponents: missing } : {}),
            ...(damaged.length ? { damagedComponents: damaged } : {}),
            ...(input.notes ? { notes: input.notes } : {}),
            occurredAt: at,
          },
        },
      ]);
      return kitView((await this.kits.find(tx, ctx.tenantId, k.id))!, await this.kits.findAssignment(tx, ctx.tenantId, a.id));
    });
  }
}
