import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListContractsQuery } from '@app/shared/api/events/contracts.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor } from '../../common/cursor';
import { ContractRepository } from '../contract.repository';
import { contractView } from '../contract.view';

/** Contracts, newest first, with keyset pagination. */
@Injectable()
export class ListContractsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListContractsQuery) {
    const limit = input.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(input.cursor, (v): v is { c: string; i: string } => typeof v?.c === 'string' && !Number.isNaN(Date.parse(v.c)) && /^[0-9a-f-]{36}$/i.test(v?.i));
    const rows = await this.contracts.list(this.dataSource.manager, ctx.tenantId, {
      status: input.status,
      after: after ? { createdAt: new Date(after.c), id: after.i } : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((c) => contractView(c)),
      nextCursor: rows.length > limit && last ? encodeCursor({ c: new Date(last.createdAt).toISOString(), i: last.id }) : null,
    };
  }
}
