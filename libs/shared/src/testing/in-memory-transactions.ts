import type { Db } from '../db/sql';
import { Transactions } from '../db/transactions';

interface Subscriber {
  afterTransactionCommit?(event: { queryRunner: FakeRunner }): void;
  afterTransactionRollback?(event: { queryRunner: FakeRunner }): void;
}

interface FakeRunner {
  isTransactionActive: boolean;
  isReleased: boolean;
  data: Record<string, unknown>;
}

/**
 * Transactions of unit tests: `run(fn)` hands `fn` a stand-in transaction (no database: the repositories
 * of such a test are fakes), commits when `fn` resolves and rolls back when it throws, so `afterCommit`
 * work runs (or is dropped) as it would in production. `commits` and `rollbacks` count them.
 */
export class InMemoryTransactions extends Transactions {
  commits = 0;
  rollbacks = 0;
  private readonly subscribers: Subscriber[] = [];
  private readonly connection = { subscribers: this.subscribers };

  async run<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const queryRunner: FakeRunner = { isTransactionActive: true, isReleased: false, data: {} };
    const tx = { queryRunner, connection: this.connection } as unknown as Db;
    try {
      const value = await fn(tx);
      queryRunner.isTransactionActive = false;
      this.commits++;
      for (const s of [...this.subscribers]) s.afterTransactionCommit?.({ queryRunner });
      return value;
    } catch (err) {
      queryRunner.isTransactionActive = false;
      this.rollbacks++;
      for (const s of [...this.subscribers]) s.afterTransactionRollback?.({ queryRunner });
      throw err;
    }
  }

  /** A stand-in outside any transaction (`afterCommit` runs at once on it). */
  get reader(): Db {
    return { connection: this.connection } as unknown as Db;
  }
}
