import { Injectable } from '@nestjs/common';
import { UpdateKitDto } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository, KitRow } from '../kit.repository';
import { kitView } from '../kit.view';
import { lockKit, saveKit } from './kit-lookup';

/** Relabels a kit, or records its repair (a new condition for every component; out of service → available). */
@Injectable()
export class UpdateKitUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: UpdateKitDto): Promise<KitView> {
    return this.db.run(async (tx) => {
      const k = await lockKit(tx, this.kits, ctx.tenantId, input.id, input.version);
      const next: KitRow = { ...k, label: input.label ?? k.label };
      const details: Record<string, unknown> = {};
      if (next.label !== k.label) details.label = { from: k.label, to: next.label };
      if (input.condition !== undefined) {
        if (k.status !== 'available' && k.status !== 'out_of_service') {
          throw DomainError.rule(`kit ${k.label} is ${k.status}: record its condition when it is back`, { kitId: k.id, status: k.status });
        }
        next.condition = input.condition;
        next.components = k.components.map((c) => ({ ...c, condition: input.condition!, missing: false }));
        next.status = 'available';
        if (input.condition !== k.condition || k.status !== 'available' || k.components.some((c) => c.missing || c.condition !== input.condition)) {
          details.condition = { from: k.condition, to: input.condition };
        }
      }
      const latest = (await this.kits.latestAssignments(tx, ctx.tenantId, [k.id])).get(k.id);
      if (Object.keys(details).length === 0) return kitView(k, latest);
      const now = this.clock.now();
      await saveKit(tx, this.kits, ctx, k, next, { action: 'updated', assignmentId: null, details, at: now });
      return kitView((await this.kits.find(tx, ctx.tenantId, k.id))!, latest);
    });
  }
}
