import { Injectable } from '@nestjs/common';
import { ReplaceTicketFlowDto, TicketFlowView } from '@app/shared/api/tickets/status-flow-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { StatusFlow } from '@app/shared/status-machine/status-machine';
import { TicketFlows, TicketsMachine } from '../ticket-flows';
import { GetStatusFlowUseCase } from './get-status-flow.use-case';

/** Replaces the tenant's flow of a machine as a whole (validated by the shared engine); the cache forgets it on commit. */
@Injectable()
export class ReplaceStatusFlowUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: TicketFlows,
    private readonly get: GetStatusFlowUseCase,
  ) {}

  async execute(ctx: RequestContext, input: ReplaceTicketFlowDto & { machine: TicketsMachine }): Promise<TicketFlowView> {
    const flow: StatusFlow = {
      statuses: input.statuses.map((s) => ({ ...s, color: s.color ?? null, icon: s.icon ?? null, category: s.category ?? null })),
      transitions: input.transitions.map((t) => ({ from: t.from, to: t.to, requiresReason: t.requiresReason, requiresEvidence: t.requiresEvidence ?? false })),
    };
    return this.db.run(async (tx) => {
      await this.flows.replace(tx, ctx.tenantId, input.machine, flow, ctx.actor.type === 'vani' ? 'vani' : 'tenant');
      return this.get.execute(ctx, input, tx);
    });
  }
}
