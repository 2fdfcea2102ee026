import { Injectable, OnApplicationBootstrap, OnModuleDestroy, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '../app/periodic-job';
import { runExclusively } from '../db/advisory-lock';
import { exec, Sql, sql } from '../db/sql';
import { RETENTION_DAYS, RetentionClass } from './event-definition';
import { MessagingMetrics } from './messaging.metrics';
import { REQUEST_JOURNAL_RETENTION_HOURS } from './request-journal';
import { schemaOf } from './messaging.options';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_SWEEP_DELAY_MS = 60 * 1000;
const DELETE_BATCH = 5000;
/** Inbox records only need to outlive any redelivery or replay of their message. */
export const INBOX_RETENTION_DAYS = 90;

/** Rows removed by one sweep, per table. */
export interface Purged {
  outbox: number;
  inbox: number;
  requests: number;
}

/**
 * Purges the event log (outbox rows) past the retention of their class (seed "Event Storage": booking
 * 7 years, event instance and staff assignment 3, activity and kit 1; `default` 2 years for the types the
 * seed does not classify). Only published rows: an unpublished one is still owed to the broker. The class
 * is stored on each row when it is written, so a later catalog change does not shorten an old row's life.
 * One replica sweeps at a time (advisory lock); deletes go in batches, each committed, to keep locks short.
 */
@Injectable()
export class RetentionPurgeJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionPurge');
  private readonly job = new PeriodicJob({
    name: 'retention-purge',
    everyMs: SWEEP_INTERVAL_MS,
    firstAfterMs: FIRST_SWEEP_DELAY_MS,
    run: () => this.purge(),
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MessagingMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep; returns how many rows were removed per table (skipped, all zero, if another replica sweeps). */
  async purge(now: Date = new Date()): Promise<Purged> {
    const outcome = await runExclusively(this.dataSource, `messaging-retention:${schemaOf(this.dataSource)}`, () => this.sweep(now));
    return outcome.ran ? outcome.value : { outbox: 0, inbox: 0, requests: 0 };
  }

  private async sweep(now: Date): Promise<Purged> {
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86400000);
    let outbox = 0;
    for (const [cls, days] of Object.entries(RETENTION_DAYS) as [RetentionClass, number][]) {
      outbox += await this.deleteInBatches(
        (limit) =>
          sql`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE retention_class = ${cls} AND published_at IS NOT NULL AND created_at < ${daysAgo(days)} LIMIT ${limit})`,
      );
    }
    // Rows whose class is no longer known (renamed in code) fall back to the default.
    outbox += await this.deleteInBatches(
      (limit) =>
        sql`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE NOT (retention_class = ANY(${sql.array(Object.keys(RETENTION_DAYS), 'text')}))
            AND published_at IS NOT NULL AND created_at < ${daysAgo(RETENTION_DAYS.default)} LIMIT ${limit})`,
    );
    const inbox = await this.deleteInBatches(
      (limit) => sql`DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE processed_at < ${daysAgo(INBOX_RETENTION_DAYS)} LIMIT ${limit})`,
    );
    const requestsBefore = new Date(now.getTime() - REQUEST_JOURNAL_RETENTION_HOURS * 3600000);
    const requests = await this.deleteInBatches(
      (limit) => sql`DELETE FROM rpc_requests WHERE ctid IN (SELECT ctid FROM rpc_requests WHERE received_at < ${requestsBefore} LIMIT ${limit})`,
    );
    this.metrics.purged.inc({ table: 'outbox' }, outbox);
    this.metrics.purged.inc({ table: 'inbox' }, inbox);
    this.metrics.purged.inc({ table: 'rpc_requests' }, requests);
    if (outbox + inbox + requests > 0)
      this.logger.log(`retention purged ${outbox} event log row(s), ${inbox} inbox row(s) and ${requests} request journal row(s)`);
    return { outbox, inbox, requests };
  }

  /** Each batch its own statement and commit (on a pooled connection, not the lock's). */
  private async deleteInBatches(statement: (limit: number) => Sql): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await exec(this.dataSource.manager, statement(DELETE_BATCH));
      total += count;
      if (count < DELETE_BATCH) return total;
    }
  }
}
