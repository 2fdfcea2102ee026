import { Injectable } from '@nestjs/common';
import { JtdTemplateView, ListJtdTemplatesQuery } from '@app/shared/api/jtd/jtd-templates.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { Transactions } from '@app/shared/db/transactions';
import { TemplateRepository } from '../template.repository';
import { templateView } from '../template.view';

/** The tenant's templates and the system ones, by key and channel (a tenant's before the system one it overrides). */
@Injectable()
export class ListTemplatesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly templates: TemplateRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListJtdTemplatesQuery): Promise<Page<JtdTemplateView>> {
    const after = decodeCursor(input.cursor, ['text', 'text', 'int', 'uuid']);
    const limit = pageLimit(input);
    const filter = { channel: input.channel, sourceType: input.sourceType, templateKey: input.templateKey, after };
    const rows = await this.templates.list(this.db.reader, ctx.tenantId, filter, limit + 1);
    return pageOf(rows, limit, (t) => [t.templateKey, t.channelCode, t.isSystemKey, t.id], templateView);
  }
}
