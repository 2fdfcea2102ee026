import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { Transactions } from '@app/shared/db/transactions';
import { FileStore } from '@app/shared/storage/file-store';
import { Clock } from '@app/shared/time/clock';
import { TicketsConfig } from '../tickets.config';
import { EvidenceRepository } from './evidence.repository';

/** How old an upload must be before the sweep may remove it: far longer than any request that could still record it. */
export const ORPHAN_AGE_MS = 24 * 3600 * 1000;
const BATCH = 500;

/**
 * Removes uploads no evidence refers to, a day after they were written: a request that failed in a way the
 * gateway could not judge (a timeout: the service may still have recorded it) or that died with its
 * process leaves its file behind; this takes it away. The gateway removes the files of refused requests
 * at once. Runs every EVIDENCE_SWEEP_INTERVAL_MS, once across replicas.
 */
@Injectable()
export class EvidenceFileSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('evidence-file-sweep');
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly db: Transactions,
    private readonly evidence: EvidenceRepository,
    private readonly files: FileStore,
    private readonly clock: Clock,
    config: TicketsConfig,
    dataSource: DataSource,
  ) {
    this.job = new PeriodicJob({
      name: 'evidence-file-sweep',
      everyMs: config.EVIDENCE_SWEEP_INTERVAL_MS,
      exclusive: { dataSource, key: 'evidence-file-sweep' },
      run: () => this.runOnce(),
    });
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One pass over the store; answers how many files it removed. */
  async runOnce(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - ORPHAN_AGE_MS);
    let batch: string[] = [];
    let removed = 0;
    for await (const key of this.files.uploadsBefore(before)) {
      batch.push(key);
      if (batch.length === BATCH) {
        removed += await this.removeUnreferenced(batch);
        batch = [];
      }
    }
    removed += await this.removeUnreferenced(batch);
    if (removed > 0) this.logger.log(`removed ${removed} unreferenced upload(s) older than a day`);
    return removed;
  }

  private async removeUnreferenced(keys: string[]): Promise<number> {
    let removed = 0;
    const byTenant = new Map<string, string[]>();
    for (const key of keys) byTenant.set(key.split('/')[0], [...(byTenant.get(key.split('/')[0]) ?? []), key]);
    for (const [tenantId, ofTenant] of byTenant) {
      const referenced = await this.evidence.referencedKeys(this.db.reader, tenantId, ofTenant);
      for (const key of ofTenant.filter((k) => !referenced.has(k))) {
        await this.files.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
