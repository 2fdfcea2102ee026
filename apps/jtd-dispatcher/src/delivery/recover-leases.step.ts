import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { afterCommit } from '@app/shared/db/after-commit';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { JobStatusMover } from '../jobs/job-status-mover';
import { JobRepository } from '../jobs/job.repository';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { recoverLostLease } from './outcome-rules';

/** Leases recovered per pass at most. */
const BATCH = 100;

/**
 * Recover leases: `executing` jobs whose lease ran out belong to a replica that died mid-send; each is
 * moved by the crash rule (outcome-rules.ts `recoverLostLease`) in its own transaction, skipped if another
 * replica got there first. The job is never lost, and never sent twice by the dispatcher itself.
 */
@Injectable()
export class RecoverLeasesStep {
  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly mover: JobStatusMover,
    private readonly metrics: JtdMetrics,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<number> {
    const now = this.clock.now();
    const ids = await this.jobs.expiredLeases(this.db.reader, now, BATCH);
    for (const id of ids) {
      await this.db.run(async (tx) => {
        const job = await this.jobs.lockExpired(tx, id, now);
        if (!job) return;
        const move = recoverLostLease(job, now);
        await this.mover.move(tx, { job, path: [move.to], actor: SYSTEM_ACTORS.system, reason: move.reason, patch: move.patch });
        if (move.counted === 'failed')
          afterCommit(tx, 'jtd.recovery-metrics', () => this.metrics.failed.inc({ channel: job.channelCode, code: 'UNKNOWN_OUTCOME' }));
      });
    }
    return ids.length;
  }
}
