import { Injectable } from '@nestjs/common';
import type { ContractIdParams } from '@app/shared/api/events/common.dto';
import type { ContractSparePartsView } from '@app/shared/api/events/contracts.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../contract.repository';
import { SparePartBalance } from '../spare-part-balance';

@Injectable()
export class GetSparePartBalanceUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly balance: SparePartBalance,
  ) {}

  async execute(ctx: RequestContext, input: ContractIdParams): Promise<ContractSparePartsView> {
    const c = await this.contracts.findById(this.db.reader, ctx.tenantId, input.id);
    if (!c) throw DomainError.notFound('contract', input.id);
    return { contractId: c.id, items: await this.balance.of(this.db.reader, c) };
  }
}
