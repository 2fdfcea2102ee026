import { Injectable } from '@nestjs/common';
import { ContractHistoryQuery, ContractStatusHistoryEntryView } from '@app/shared/api/events/contract-lifecycle.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractHistoryRepository, ContractHistoryRow } from '../contract-history.repository';
import { ContractRepository } from '../contract.repository';

/** A contract's status changes, oldest first. */
@Injectable()
export class ListContractHistoryUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly contracts: ContractRepository,
    private readonly history: ContractHistoryRepository,
  ) {}

  async execute(ctx: RequestContext, input: ContractHistoryQuery): Promise<Page<ContractStatusHistoryEntryView>> {
    const db = this.db.reader;
    if (!(await this.contracts.findById(db, ctx.tenantId, input.id))) throw DomainError.notFound('contract', input.id);
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['int']);
    const rows = await this.history.list(db, ctx.tenantId, input.id, limit + 1, after ? String(after[0]) : undefined);
    return pageOf(rows, limit, (r) => [Number(r.id)], historyView);
  }
}

function historyView(r: ContractHistoryRow): ContractStatusHistoryEntryView {
  return {
    id: r.id,
    from: r.fromStatus,
    to: r.toStatus,
    actor: { type: r.actorType, id: r.actorId ?? '', name: r.actorName ?? '' },
    source: r.source,
    reason: r.reason,
    timeInPreviousStatus: r.secondsInPrevious,
    at: new Date(r.at).toISOString(),
  };
}
