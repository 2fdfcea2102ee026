import { Injectable } from '@nestjs/common';
import { ListContractsQuery } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';

/** Contracts, newest first, with keyset pagination on (createdAt, id). */
@Injectable()
export class ListContractsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListContractsQuery): Promise<Page<ContractView>> {
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.contracts.list(this.db.reader, ctx.tenantId, {
      status: input.status,
      search: input.q,
      after: after ? { createdAt: new Date(after[0]), id: after[1] } : undefined,
      limit: limit + 1,
    });
    return pageOf(rows, limit, (c) => [c.createdAt.toISOString(), c.id], contractView);
  }
}
