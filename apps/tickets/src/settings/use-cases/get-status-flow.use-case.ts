import { Injectable } from '@nestjs/common';
import { TicketFlowView } from '@app/shared/api/tickets/status-flow-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { TicketFlows, TicketsMachine } from '../ticket-flows';

/** A tenant's ticket or appointment flow as the tables hold it now (the system defaults when it has none). */
@Injectable()
export class GetStatusFlowUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: TicketFlows,
  ) {}

  async execute(ctx: RequestContext, input: { machine: TicketsMachine }, db: Db = this.db.reader): Promise<TicketFlowView> {
    const { flow, isTenantOverride } = (await this.flows.fresh(db, ctx.tenantId)).loaded.get(input.machine)!;
    return {
      machine: input.machine,
      isTenantOverride,
      statuses: flow.statuses.map((s) => ({
        code: s.code,
        label: s.label,
        color: s.color ?? null,
        icon: s.icon ?? null,
        order: s.order,
        isInitial: s.isInitial,
        isTerminal: s.isTerminal,
        category: s.category ?? null,
      })),
      transitions: flow.transitions.map((t) => ({
        from: t.from,
        to: t.to,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        isAutomatic: t.isAutomatic ?? false,
      })),
    };
  }
}
