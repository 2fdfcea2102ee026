import { Injectable } from '@nestjs/common';
import { TicketFlowView } from '@app/shared/api/tickets/status-flow-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { TicketFlows, TicketsMachine } from '../ticket-flows';
import { GetStatusFlowUseCase } from './get-status-flow.use-case';

/** Drops the tenant's own flow of a machine: the system defaults apply again. */
@Injectable()
export class ResetStatusFlowUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: TicketFlows,
    private readonly get: GetStatusFlowUseCase,
  ) {}

  async execute(ctx: RequestContext, input: { machine: TicketsMachine }): Promise<TicketFlowView> {
    return this.db.run(async (tx) => {
      await this.flows.reset(tx, ctx.tenantId, input.machine);
      return this.get.execute(ctx, input, tx);
    });
  }
}
