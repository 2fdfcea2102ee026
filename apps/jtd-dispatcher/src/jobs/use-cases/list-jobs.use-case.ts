import { Injectable } from '@nestjs/common';
import { JobView, ListJobsQuery } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { Transactions } from '@app/shared/db/transactions';
import { JobRepository } from '../job.repository';
import { jobView } from '../job.view';

/** The tenant's jobs, newest first, filtered. */
@Injectable()
export class ListJobsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListJobsQuery): Promise<Page<JobView>> {
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const limit = pageLimit(input);
    const { status, channel, eventType, sourceType, sourceId } = input;
    const rows = await this.jobs.list(this.db.reader, ctx.tenantId, { status, channel, eventType, sourceType, sourceId, after }, limit + 1);
    return pageOf(rows, limit, (r) => [r.cursorAt, r.id], jobView);
  }
}
