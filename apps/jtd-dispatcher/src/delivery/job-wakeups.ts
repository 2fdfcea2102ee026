import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { afterCommit } from '@app/shared/db/after-commit';
import { Db, exec, sql } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';

/** NOTIFY channel that wakes every replica's dispatcher when jobs became due. */
export const JOBS_CHANNEL = 'jtd_jobs';
/** Other replicas are told at most this often, however many jobs this one creates. */
const NOTIFY_EVERY_MS = 20;

/**
 * Wakes dispatchers when a transaction that made jobs due commits: this replica's worker at once, in
 * process; the others by one NOTIFY sent outside any transaction, at most every 20 ms. Not NOTIFY inside
 * the creating transaction: Postgres serialises the commits of all notifying transactions (a global lock
 * held through the WAL flush), which capped job creation at one fsync per event.
 */
@Injectable()
export class JobWakeups implements OnApplicationShutdown {
  private readonly listeners = new Set<() => void>();
  private notifyTimer?: NodeJS.Timeout;

  constructor(private readonly db: Transactions) {}

  /** Jobs written in `tx` are due now (or at a time the worker must plan for): wake the dispatchers on commit. */
  jobsDue(tx: Db): void {
    afterCommit(tx, 'jtd.jobsDue', () => this.signal());
  }

  /** `listener` runs whenever this replica made jobs due; returns the unsubscribe. */
  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onApplicationShutdown(): void {
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
  }

  private signal(): void {
    this.listeners.forEach((listener) => listener());
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      // Polling (JTD_POLL_INTERVAL_MS) still finds the jobs if this is lost.
      exec(this.db.reader, sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`).catch(() => undefined);
    }, NOTIFY_EVERY_MS);
  }
}
