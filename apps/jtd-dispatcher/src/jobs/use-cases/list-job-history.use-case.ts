import { Injectable } from '@nestjs/common';
import { JobHistoryEntryView, ListJobHistoryQuery } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { JobHistoryRepository } from '../job-history.repository';
import { JobRepository } from '../job.repository';
import { historyEntryView } from '../job.view';

/** A job's status history, oldest first. */
@Injectable()
export class ListJobHistoryUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly history: JobHistoryRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListJobHistoryQuery): Promise<Page<JobHistoryEntryView>> {
    const after = decodeCursor(input.cursor, ['int']);
    if (!(await this.jobs.byId(this.db.reader, ctx.tenantId, input.id))) throw DomainError.notFound('job', input.id);
    const limit = pageLimit(input);
    const rows = await this.history.ofJob(this.db.reader, ctx.tenantId, input.id, after?.[0] ?? 0, limit + 1);
    return pageOf(rows, limit, (r) => [Number(r.seq)], historyEntryView);
  }
}
