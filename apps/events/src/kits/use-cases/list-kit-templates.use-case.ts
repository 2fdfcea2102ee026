import { Injectable } from '@nestjs/common';
import { ListKitTemplatesQuery } from '@app/shared/api/events/kits.dto';
import type { KitTemplateView } from '@app/shared/api/events/kits.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { KitTemplateRepository } from '../kit-template.repository';
import { kitTemplateView } from '../kit.view';

@Injectable()
export class ListKitTemplatesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: KitTemplateRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListKitTemplatesQuery): Promise<Page<KitTemplateView>> {
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.templates.page(this.db.reader, ctx.tenantId, after ? { createdAt: after[0], id: after[1] } : undefined, limit + 1);
    return pageOf(rows, limit, (t) => [t.cursorAt, t.id], kitTemplateView);
  }
}
