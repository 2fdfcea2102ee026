import { Injectable } from '@nestjs/common';
import { KitHistoryQuery } from '@app/shared/api/events/kits.dto';
import type { KitHistoryEntryView } from '@app/shared/api/events/kits.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository } from '../kit.repository';
import { kitHistoryView } from '../kit.view';

/** Everything that happened to a kit, oldest first (keyset on the entry id). */
@Injectable()
export class ListKitHistoryUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
  ) {}

  async execute(ctx: RequestContext, input: KitHistoryQuery): Promise<Page<KitHistoryEntryView>> {
    const db = this.db.reader;
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['int']);
    const k = await this.kits.find(db, ctx.tenantId, input.id);
    if (!k) throw DomainError.notFound('kit', input.id);
    const rows = await this.kits.history(db, ctx.tenantId, k.id, after?.[0], limit + 1);
    return pageOf(rows, limit, (h) => [Number(h.id)], kitHistoryView);
  }
}
