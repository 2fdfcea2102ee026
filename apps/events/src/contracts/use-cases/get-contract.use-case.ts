import { Injectable } from '@nestjs/common';
import type { ContractIdParams } from '@app/shared/api/events/common.dto';
import type { ContractDetailView, ContractEventCountsView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';

/** One contract with its event counts by type and status. */
@Injectable()
export class GetContractUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly events: ContractEventRepository,
  ) {}

  async execute(ctx: RequestContext, input: ContractIdParams): Promise<ContractDetailView> {
    const m = this.db.reader;
    const c = await this.contracts.findById(m, ctx.tenantId, input.id);
    if (!c) throw DomainError.notFound('contract', input.id);
    const eventCounts: ContractEventCountsView = {};
    for (const row of await this.events.countsOfContract(m, ctx.tenantId, c.id)) {
      const t = (eventCounts[row.eventType] ??= { total: 0, byStatus: {} });
      t.total += row.count;
      t.byStatus[row.status] = row.count;
    }
    return { ...contractView(c), eventCounts };
  }
}
