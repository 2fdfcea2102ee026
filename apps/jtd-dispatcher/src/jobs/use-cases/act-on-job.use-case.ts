import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobView } from '@app/shared/api/jtd/jobs.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { JobWakeups } from '../../pipeline/job-wakeups';
import { JtdClock } from '../../time/clock';
import { JOB_COLUMNS, JobRow, jobView } from '../job-row';
import { JobStatusService } from '../job-status.service';

const TERMINAL_FOR_CANCEL = ['sent', 'delivered', 'read', 'bounced', 'cancelled', 'completed', 'executing'];

/** People acting on a job: any move (soft-enforced and flagged), retry of a failed job, cancel. */
@Injectable()
export class ActOnJobUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly status: JobStatusService,
    private readonly clock: JtdClock,
    private readonly wakeups: JobWakeups,
  ) {}

  transition(ctx: RequestContext, id: string, to: string, note?: string): Promise<JobView> {
    return this.withJob(ctx, id, async (tx, job) => {
      if (job.statusCode === 'executing') throw DomainError.rule('the job is being sent; wait for the outcome');
      // Soft enforcement flags a move between known statuses; a status the flow lacks (a typo) would strand the job.
      const machine = await this.status.machine(job.tenantId, job.eventTypeCode, tx);
      if (!machine.status(to)) throw DomainError.validation({ toStatus: [`${to} is not a status of ${job.eventTypeCode} jobs`] });
      // Moving a waiting action job to `queued` hands it to the dispatcher (a person executes it).
      const dispatch = to === 'queued' || to === 'pending';
      if (dispatch) this.wakeups.jobsDue(tx);
      return this.status.move(tx, job, to, ctx.actor, {
        note: note ?? null,
        ctx,
        set: dispatch ? { next_attempt_at: this.clock.now(), auto_execute: true } : { next_attempt_at: null },
      });
    });
  }

  retry(ctx: RequestContext, id: string): Promise<JobView> {
    return this.withJob(ctx, id, async (tx, job) => {
      if (!['failed', 'bounced', 'expired', 'held'].includes(job.statusCode)) {
        throw DomainError.rule(`only failed, bounced, expired or held jobs can be retried (this one is ${job.statusCode})`, { status: job.statusCode });
      }
      this.wakeups.jobsDue(tx);
      return this.status.move(tx, job, 'pending', ctx.actor, {
        note: 'manual retry',
        ctx,
        set: { next_attempt_at: this.clock.now(), attempts: 0, auto_execute: true, last_error: null, error_code: null },
      });
    });
  }

  cancel(ctx: RequestContext, id: string, reason?: string): Promise<JobView> {
    return this.withJob(ctx, id, async (tx, job) => {
      if (TERMINAL_FOR_CANCEL.includes(job.statusCode)) throw DomainError.rule(`a ${job.statusCode} job cannot be cancelled`, { status: job.statusCode });
      return this.status.move(tx, job, 'cancelled', ctx.actor, { note: reason ?? null, ctx, set: { next_attempt_at: null, completed_at: this.clock.now() } });
    });
  }

  private async withJob(ctx: RequestContext, id: string, fn: (tx: EntityManager, job: JobRow) => Promise<JobRow>): Promise<JobView> {
    const updated = await this.dataSource.transaction(async (tx) => {
      const job: JobRow | undefined = (await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, ctx.tenantId]))[0];
      if (!job) throw DomainError.notFound('job', id);
      await fn(tx, job);
      return (await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]))[0] as JobRow;
    });
    return jobView(updated);
  }
}
