import { DataSource } from 'typeorm';
import { claimRequestMark } from '../messaging/request-journal';
import type { Db } from './sql';

/**
 * How a use case gets a transaction, without holding the DataSource: `run(fn)` runs `fn` in one (committed
 * when it resolves, rolled back when it throws; `afterCommit` work runs after the outermost COMMIT), and
 * `reader` runs statements outside any (each on a pooled connection, so independent reads may overlap).
 * DatabaseModule provides it; unit tests bind `InMemoryTransactions` (libs/shared/src/testing).
 */
export abstract class Transactions {
  abstract run<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  abstract get reader(): Db;
}

export class DataSourceTransactions extends Transactions {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** The first transaction an RPC request commits carries the request's mark (messaging/request-journal.ts). */
  run<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const mark = claimRequestMark();
    if (!mark) return this.dataSource.transaction(fn);
    return this.dataSource
      .transaction(async (tx) => {
        await mark.write(tx);
        return fn(tx);
      })
      .catch((err: unknown) => {
        mark.failed(err);
        throw err;
      });
  }

  get reader(): Db {
    return this.dataSource.manager;
  }
}
