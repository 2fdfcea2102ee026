import { Injectable } from '@nestjs/common';
import { JobRef, JobView } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { JobWakeups } from '../../delivery/job-wakeups';
import { JobStatusMover } from '../job-status-mover';
import { JobRepository } from '../job.repository';
import { jobView } from '../job.view';
import { lockJob, reread } from './job-lookup';

const RETRYABLE = ['failed', 'bounced', 'expired', 'held'];

/** A person sends a failed, bounced, expired or held job again: back to `pending`, attempts reset. */
@Injectable()
export class RetryJobUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly mover: JobStatusMover,
    private readonly wakeups: JobWakeups,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: JobRef): Promise<JobView> {
    return this.db.run(async (tx) => {
      const job = await lockJob(tx, this.jobs, ctx.tenantId, input.id);
      if (!RETRYABLE.includes(job.status)) {
        throw DomainError.rule(`only failed, bounced, expired or held jobs can be retried (this one is ${job.status})`, { status: job.status });
      }
      this.wakeups.jobsDue(tx);
      await this.mover.move(tx, {
        job,
        path: ['pending'],
        actor: ctx.actor,
        reason: 'manual retry',
        ctx,
        patch: { nextAttemptAt: this.clock.now(), attempts: 0, autoExecute: true, lastError: null, errorCode: null },
      });
      return jobView(await reread(tx, this.jobs, ctx.tenantId, job.id));
    });
  }
}
