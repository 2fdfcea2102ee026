import { Injectable } from '@nestjs/common';
import { JobView, TransitionJobDto } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { JobWakeups } from '../../delivery/job-wakeups';
import { JobFlows } from '../job-flows';
import { JobStatusMover } from '../job-status-mover';
import { JobRepository } from '../job.repository';
import { jobView } from '../job.view';
import { lockJob, reread } from './job-lookup';

/**
 * A person moves a job to any status of its flow: a move the flow does not define is made and flagged; a
 * status the flow lacks (a typo) is refused, it would strand the job. Moving a waiting action job to
 * `queued` or `pending` hands it to the dispatcher (a person executes it).
 */
@Injectable()
export class TransitionJobUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly flows: JobFlows,
    private readonly mover: JobStatusMover,
    private readonly wakeups: JobWakeups,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, input: TransitionJobDto): Promise<JobView> {
    return this.db.run(async (tx) => {
      const job = await lockJob(tx, this.jobs, ctx.tenantId, input.id);
      if (job.status === 'executing') throw DomainError.rule('the job is being sent; wait for the outcome');
      const machine = await this.flows.machine(tx, job.tenantId, job.eventTypeCode);
      if (!machine.status(input.toStatus)) throw DomainError.validation({ toStatus: [`${input.toStatus} is not a status of ${job.eventTypeCode} jobs`] });
      const dispatch = input.toStatus === 'queued' || input.toStatus === 'pending';
      if (dispatch) this.wakeups.jobsDue(tx);
      await this.mover.move(tx, {
        job,
        path: [input.toStatus],
        actor: ctx.actor,
        reason: input.reason ?? null,
        ctx,
        patch: dispatch ? { nextAttemptAt: this.clock.now(), autoExecute: true } : { nextAttemptAt: null },
      });
      return jobView(await reread(tx, this.jobs, ctx.tenantId, job.id));
    });
  }
}
