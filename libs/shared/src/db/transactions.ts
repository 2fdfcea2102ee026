import { DataSource } from 'typeorm';
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

  run<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  get reader(): Db {
    return this.dataSource.manager;
  }
}
