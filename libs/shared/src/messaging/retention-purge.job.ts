import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RETENTION_DAYS, RetentionClass } from './event-definition';
import { MessagingMetrics } from './messaging.metrics';
import { schemaOf } from './messaging.options';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const FIRST_SWEEP_DELAY_MS = 60 * 1000;
const DELETE_BATCH = 5000;
/** Inbox records only need to outlive any redelivery or replay of their message. */
export const INBOX_RETENTION_DAYS = 90;

/**
 * Purges the event log (outbox rows) past the retention of their class (seed "Event Storage": booking
 * 7 years, event instance and staff assignment 3, activity and kit 1; `default` 2 years for the types the
 * seed does not classify). Only published rows: an unpublished one is still owed to the broker. The class
 * is stored on each row when it is written, so a later catalog change does not shorten an old row's life.
 * One replica sweeps at a time (advisory lock); deletes go in batches to keep locks short.
 */
@Injectable()
export class RetentionPurgeJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionPurge');
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MessagingMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () => {
      this.running = this.purge().catch((e) => this.logger.error(`retention sweep failed: ${(e as Error).message}`));
    };
    this.timers.push(setTimeout(sweep, FIRST_SWEEP_DELAY_MS).unref(), setInterval(sweep, SWEEP_INTERVAL_MS).unref());
  }

  async onModuleDestroy(): Promise<void> {
    this.timers.forEach((t) => clearTimeout(t));
    await this.running;
  }

  /** One sweep; returns how many rows were removed per table (skipped, all zero, if another replica sweeps). */
  async purge(now: Date = new Date()): Promise<{ outbox: number; inbox: number }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lockKey = `messaging-retention:${schemaOf(this.dataSource)}`;
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey]);
      if (!locked) return { outbox: 0, inbox: 0 };
      try {
        let outbox = 0;
        for (const [cls, days] of Object.entries(RETENTION_DAYS) as [RetentionClass, number][]) {
          const cutoff = new Date(now.getTime() - days * 86400000);
          outbox += await this.deleteInBatches(
            runner.query.bind(runner),
            `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE retention_class = $1 AND published_at IS NOT NULL AND created_at < $2 LIMIT ${DELETE_BATCH})`,
            [cls, cutoff],
          );
        }
        // Rows whose class is no longer known (renamed in code) fall back to the default.
        outbox += await this.deleteInBatches(
          runner.query.bind(runner),
          `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE NOT (retention_class = ANY($1)) AND published_at IS NOT NULL AND created_at < $2 LIMIT ${DELETE_BATCH})`,
          [Object.keys(RETENTION_DAYS), new Date(now.getTime() - RETENTION_DAYS.default * 86400000)],
        );
        const inbox = await this.deleteInBatches(
          runner.query.bind(runner),
          `DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE processed_at < $1 LIMIT ${DELETE_BATCH})`,
          [new Date(now.getTime() - INBOX_RETENTION_DAYS * 86400000)],
        );
        this.metrics.purged.inc({ table: 'outbox' }, outbox);
        this.metrics.purged.inc({ table: 'inbox' }, inbox);
        if (outbox + inbox > 0) this.logger.log(`retention purged ${outbox} event log row(s) and ${inbox} inbox row(s)`);
        return { outbox, inbox };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteInBatches(query: (sql: string, params: unknown[]) => Promise<any>, sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await query(sql, params);
      // pg via TypeORM answers a DELETE with [rows, affectedCount]
      const count = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
      total += count;
      if (count < DELETE_BATCH) return total;
    }
  }
}
