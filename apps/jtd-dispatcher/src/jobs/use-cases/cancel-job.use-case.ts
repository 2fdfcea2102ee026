import { Injectable } from '@nestjs/common';
import { CancelJobDto, JobView } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { JobStatusMover } from '../job-status-mover';
import { JobRepository } from '../job.repository';
import { jobView } from '../job.view';
import { lockJob, reread } from './job-lookup';

/** Statuses a job can no longer be cancelled from (gone out, finished, or being sent). */
const NOT_CANCELLABLE = ['sent', 'delivered', 'read', 'bounced', 'cancelled', 'completed', 'executing'];

/** A person cancels a job that has not gone out. */
@Injectable()
export class CancelJobUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly mover: JobStatusMover,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: CancelJobDto): Promise<JobView> {
    return this.db.run(async (tx) => {
      const job = await lockJob(tx, this.jobs, ctx.tenantId, input.id);
      if (NOT_CANCELLABLE.includes(job.status)) throw DomainError.rule(`a ${job.status} job cannot be cancelled`, { status: job.status });
      await this.mover.move(tx, {
        job,
        path: ['cancelled'],
        actor: ctx.actor,
        reason: input.reason ?? null,
        ctx,
        patch: { nextAttemptAt: null, completedAt: this.clock.now() },
      });
      return jobView(await reread(tx, this.jobs, ctx.tenantId, job.id));
    });
  }
}
