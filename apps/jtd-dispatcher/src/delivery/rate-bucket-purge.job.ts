import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { DeliveryCounters } from './delivery-counters.repository';

const MINUTE = 60_000;

/**
 * Purge: rate windows that closed more than an hour ago (of the dispatcher's clock), every ten minutes, by
 * one replica at a time (an exclusive PeriodicJob). Runs where the dispatcher loop runs (JTD_WORKER_ENABLED).
 */
@Injectable()
export class RateBucketPurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob<number>;

  constructor(
    dataSource: DataSource,
    private readonly config: JtdDispatcherConfig,
    private readonly db: Transactions,
    private readonly counters: DeliveryCounters,
    private readonly clock: Clock,
  ) {
    this.job = new PeriodicJob({
      name: 'jtd-rate-bucket-purge',
      everyMs: 10 * MINUTE,
      firstAfterMs: MINUTE,
      exclusive: { dataSource, key: 'jtd-rate-bucket-purge' },
      run: () => this.counters.purgeRateBuckets(this.db.reader, this.clock.now()),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.JTD_WORKER_ENABLED) this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One purge now; answers the windows removed (undefined when another replica held the lock). */
  runNow(): Promise<number | undefined> {
    return this.job.runNow();
  }
}
