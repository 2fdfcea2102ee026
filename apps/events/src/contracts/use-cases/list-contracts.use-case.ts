import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListContractsQuery } from '@app/shared/api/events/contracts.dto';
import type { ContractView } from '@app/shared/api/events/contracts.views';
import { decodeCursor, encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';

/** Contracts, newest first, with keyset pagination on (createdAt, id). */
@Injectable()
export class ListContractsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListContractsQuery): Promise<Page<ContractView>> {
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.contracts.list(this.dataSource.manager, ctx.tenantId, {
      status: input.status,
      search: input.q,
      after: after ? { createdAt: new Date(after[0]), id: after[1] } : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(contractView),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.createdAt).toISOString(), last.id]) : null,
    };
  }
}
