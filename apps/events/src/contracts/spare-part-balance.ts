import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { SparePartBalanceView } from '@app/shared/api/events/contracts.views';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractRow } from './contract.repository';

/** Spare-part balance computed from the events themselves (plan, decision 5: no ledger table). */
@Injectable()
export class SparePartBalance {
  constructor(private readonly flows: EventFlowService) {}

  async of(m: EntityManager, contract: ContractRow): Promise<SparePartBalanceView[]> {
    const flow = await this.flows.load(m, contract.tenantId, 'spare_part');
    const done = flow.codesIn('done');
    const cancelled = flow.codesIn('cancelled');
    const rows: Array<{ part_id: string; scheduled: number; completed: number }> = await m.query(
      `SELECT part_id,
              COALESCE(sum(quantity) FILTER (WHERE NOT status = ANY($3::text[])), 0)::int AS scheduled,
              COALESCE(sum(quantity) FILTER (WHERE status = ANY($4::text[])), 0)::int AS completed
       FROM contract_events WHERE tenant_id = $1 AND contract_id = $2 AND event_type = 'spare_part' GROUP BY part_id`,
      [contract.tenantId, contract.id, cancelled, done],
    );
    const byPart = new Map(rows.map((r) => [r.part_id, r]));
    return contract.spareParts.map((p): SparePartBalanceView => {
      const r = byPart.get(p.partId);
      const scheduledQty = r?.scheduled ?? 0;
      const completedQty = r?.completed ?? 0;
      const unlimited = p.unlimited === true;
      const promisedQty = unlimited ? null : (p.promisedQty ?? 0);
      return {
        partId: p.partId,
        name: p.name,
        unlimited,
        promisedQty,
        scheduledQty,
        completedQty,
        remainingQty: promisedQty === null ? null : Math.max(0, promisedQty - completedQty),
        availableQty: promisedQty === null ? null : Math.max(0, promisedQty - scheduledQty),
      };
    });
  }
}
