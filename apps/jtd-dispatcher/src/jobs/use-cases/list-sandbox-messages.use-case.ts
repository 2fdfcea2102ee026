import { Injectable } from '@nestjs/common';
import { ListSandboxMessagesQuery, SandboxMessageView } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { Transactions } from '@app/shared/db/transactions';
import { SandboxRepository } from '../sandbox.repository';
import { sandboxMessageView } from '../job.view';

/** What test-mode jobs would have sent, newest first. */
@Injectable()
export class ListSandboxMessagesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly sandbox: SandboxRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListSandboxMessagesQuery): Promise<Page<SandboxMessageView>> {
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const limit = pageLimit(input);
    const rows = await this.sandbox.list(this.db.reader, ctx.tenantId, input.jtdId, after, limit + 1);
    return pageOf(rows, limit, (r) => [r.cursorAt, r.id], sandboxMessageView);
  }
}
