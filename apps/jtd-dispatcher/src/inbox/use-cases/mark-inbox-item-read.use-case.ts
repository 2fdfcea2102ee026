import { Injectable } from '@nestjs/common';
import { InboxItemRef, InboxItemView } from '@app/shared/api/jtd/inbox.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { InboxRepository } from '../inbox.repository';
import { inboxItemView } from '../inbox.view';

/** The caller marks one of their notifications read (another user's is not found). */
@Injectable()
export class MarkInboxItemReadUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly inbox: InboxRepository,
  ) {}

  async execute(ctx: RequestContext, input: InboxItemRef): Promise<InboxItemView> {
    const row = await this.db.run((tx) => this.inbox.markRead(tx, ctx.tenantId, ctx.actor.id, input.id));
    if (!row) throw DomainError.notFound('notification', input.id);
    return inboxItemView(row);
  }
}
