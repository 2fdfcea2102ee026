import { Injectable } from '@nestjs/common';
import { InboxItemView, ListInboxQuery } from '@app/shared/api/jtd/inbox.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { Transactions } from '@app/shared/db/transactions';
import { InboxRepository } from '../inbox.repository';
import { inboxItemView } from '../inbox.view';

/** The caller's own in-app notifications, newest first. */
@Injectable()
export class ListInboxUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly inbox: InboxRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListInboxQuery): Promise<Page<InboxItemView>> {
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const limit = pageLimit(input);
    const rows = await this.inbox.list(this.db.reader, ctx.tenantId, ctx.actor.id, input.unread, after, limit + 1);
    return pageOf(rows, limit, (r) => [r.cursorAt, r.id], inboxItemView);
  }
}
