import { Controller } from '@nestjs/common';
import { InboxItemRef, ListInboxQuery } from '@app/shared/api/jtd/inbox.dto';
import { listInbox, markInboxItemRead } from '@app/shared/api/jtd/jtd.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ListInboxUseCase } from './use-cases/list-inbox.use-case';
import { MarkInboxItemReadUseCase } from './use-cases/mark-inbox-item-read.use-case';

@Controller()
export class InboxRpcController {
  constructor(
    private readonly listInbox: ListInboxUseCase,
    private readonly markRead: MarkInboxItemReadUseCase,
  ) {}

  @Handles(listInbox)
  list(input: ListInboxQuery, ctx: RequestContext) {
    return this.listInbox.execute(ctx, input);
  }

  @Handles(markInboxItemRead)
  read(input: InboxItemRef, ctx: RequestContext) {
    return this.markRead.execute(ctx, input);
  }
}
