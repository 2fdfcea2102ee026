import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

const PENDING = 'cn.afterCommit';
const installed = new WeakSet<DataSource>();
const logger = new Logger('AfterCommit');

type Pending = Map<string, () => void>;

/**
 * Runs `fn` once the outermost transaction of `tx` has committed, once per `key` however often it is asked
 * for, and forgets it if that transaction rolls back. For work that must not see uncommitted rows: waking
 * a worker that will look for them, forgetting a cached copy that another connection could reload.
 *
 * TypeORM reports a savepoint release as a commit too; only the real COMMIT counts here. Outside a
 * transaction `fn` runs at once (the write is already committed).
 */
export function afterCommit(tx: EntityManager, key: string, fn: () => void): void {
  const runner = tx.queryRunner;
  if (!runner?.isTransactionActive) return run(new Map([[key, fn]]));
  install(tx.connection);
  const pending: Pending = (runner.data[PENDING] ??= new Map());
  if (!pending.has(key)) pending.set(key, fn);
}

/** Whether `tx` holds work for `key` that waits for its commit (e.g. "this transaction changed X"). */
export function commitPending(tx: EntityManager, key: string): boolean {
  return (tx.queryRunner?.data?.[PENDING] as Pending | undefined)?.has(key) === true;
}

function install(dataSource: DataSource): void {
  if (installed.has(dataSource)) return;
  installed.add(dataSource);
  dataSource.subscribers.push({
    afterTransactionCommit: ({ queryRunner }) => {
      if (!queryRunner.isTransactionActive) run(take(queryRunner));
    },
    afterTransactionRollback: ({ queryRunner }) => {
      if (!queryRunner.isTransactionActive) take(queryRunner);
    },
  });
}

function take(runner: QueryRunner): Pending | undefined {
  const pending = runner.data?.[PENDING] as Pending | undefined;
  if (pending) delete runner.data[PENDING];
  return pending;
}

// The transaction is committed whatever a callback does: an error must not reach the committing caller.
function run(pending: Pending | undefined): void {
  for (const [key, fn] of pending ?? []) {
    try {
      fn();
    } catch (err) {
      logger.error(`after-commit work ${key} failed: ${(err as Error)?.message}`);
    }
  }
}
