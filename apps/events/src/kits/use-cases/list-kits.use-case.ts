import { Injectable } from '@nestjs/common';
import { ListKitsQuery } from '@app/shared/api/events/kits.dto';
import type { KitView } from '@app/shared/api/events/kits.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { KitRepository } from '../kit.repository';
import { kitView } from '../kit.view';

@Injectable()
export class ListKitsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly kits: KitRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListKitsQuery): Promise<Page<KitView>> {
    const db = this.db.reader;
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.kits.page(db, ctx.tenantId, {
      templateId: input.templateId,
      status: input.status,
      after: after ? { createdAt: after[0], id: after[1] } : undefined,
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (k) => [k.cursorAt, k.id]);
    const latest = await this.kits.latestAssignments(
      db,
      ctx.tenantId,
      page.items.map((k) => k.id),
    );
    return { items: page.items.map((k) => kitView(k, latest.get(k.id))), nextCursor: page.nextCursor };
  }
}
