import { Controller } from '@nestjs/common';
import { InboxItemRef, ListInboxQuery } from '@app/shared/api/jtd/inbox.dto';
import { listInbox, markInboxItemRead } from '@app/shared/api/jtd/jtd.operations';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { InboxService } from './inbox.service';

@Controller()
export class InboxRpcController {
  constructor(private readonly inbox: InboxService) {}

  @Handles(listInbox)
  listInbox(b: ListInboxQuery, ctx: RequestContext) {
    return this.inbox.list(ctx, b);
  }

  @Handles(markInboxItemRead)
  markInboxItemRead(b: InboxItemRef, ctx: RequestContext) {
    return this.inbox.markRead(ctx, b.id);
  }
}
