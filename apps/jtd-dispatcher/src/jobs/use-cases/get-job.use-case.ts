import { Injectable } from '@nestjs/common';
import { JobDetailView, JobRef } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { AttemptRepository } from '../attempt.repository';
import { JobRepository } from '../job.repository';
import { attemptView, jobView } from '../job.view';

/** One job with every call made to a provider for it. */
@Injectable()
export class GetJobUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly attempts: AttemptRepository,
  ) {}

  async execute(ctx: RequestContext, input: JobRef): Promise<JobDetailView> {
    const job = await this.jobs.byId(this.db.reader, ctx.tenantId, input.id);
    if (!job) throw DomainError.notFound('job', input.id);
    const attempts = await this.attempts.ofJob(this.db.reader, ctx.tenantId, input.id);
    return { ...jobView(job), attemptLog: attempts.map(attemptView) };
  }
}
