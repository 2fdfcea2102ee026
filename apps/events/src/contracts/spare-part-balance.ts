import { Injectable } from '@nestjs/common';
import type { SparePartBalanceView } from '@app/shared/api/events/contracts.views';
import type { Db } from '@app/shared/db/sql';
import { ContractEventRepository } from '../contract-events/contract-event.repository';
import { EventFlowService } from '../status-config/event-flow.service';
import { ContractRow } from './contract.repository';

/** Spare-part balance computed from the events themselves (plan, decision 5: no ledger table). */
@Injectable()
export class SparePartBalance {
  constructor(
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
  ) {}

  async of(db: Db, contract: ContractRow): Promise<SparePartBalanceView[]> {
    const flow = await this.flows.load(db, contract.tenantId, 'spare_part');
    const rows = await this.events.partUnits(db, contract.tenantId, contract.id, flow.codesIn('done'), flow.codesIn('cancelled'));
    const byPart = new Map(rows.map((r) => [r.partId, r]));
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
