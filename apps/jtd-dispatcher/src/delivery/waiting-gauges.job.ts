import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { Transactions } from '@app/shared/db/transactions';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JobRepository } from '../jobs/job.repository';
import { JtdMetrics } from '../metrics/jtd-metrics';

/**
 * Gauges: held and scheduled jobs per tenant (`jtd_held_jobs`, `jtd_scheduled_jobs`), a count over the
 * table once a second. Every replica reports the same numbers (take max, not sum, across replicas), so
 * it is not exclusive. Runs where the dispatcher loop runs.
 */
@Injectable()
export class WaitingGauges implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob<void>;

  constructor(
    private readonly config: JtdDispatcherConfig,
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly metrics: JtdMetrics,
  ) {
    this.job = new PeriodicJob({
      name: 'jtd-waiting-gauges',
      everyMs: 1000,
      // A count that fails while the database is away says so once it is back; not an error of its own.
      failureLevel: 'debug',
      run: async () => this.metrics.setWaiting(await this.jobs.waitingCounts(this.db.reader)),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.JTD_WORKER_ENABLED) this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  runNow(): Promise<void> {
    return this.job.runNow();
  }
}
