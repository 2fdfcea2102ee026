import type { QueryRunner } from 'typeorm';

/**
 * Adapter over a TypeORM internal, for the consumer's shared transactions. Relies on: every statement run
 * through a transaction's EntityManager (`tx.query`, and `libs/shared/src/db/sql.ts`) reaching the
 * database through its QueryRunner's `query` method (`EntityManager.query` → `DataSource.query(…, queryRunner)`
 * → `queryRunner.query`), so wrapping that method on the instance sees each of them first. Checked against the
 * version below; lazy-savepoints.spec.ts fails on any other.
 */
export const RELIES_ON = { package: 'typeorm', range: '1.1.1' } as const;

export const SAVEPOINT = 'cn_event';

export interface LazySavepoints {
  /** The current message took its savepoint (a rollback to it undoes exactly that message). */
  taken: boolean;
  /** A savepoint exists (the current message's or an earlier one's). */
  held: boolean;
  /** Set when taking a savepoint failed: the transaction is unusable. */
  failure: unknown;
  /** Before each message's handlers. */
  next(): void;
  /** After them (or their failure): our own statements need no savepoint. */
  done(): void;
}

/**
 * One savepoint per message, taken only when its handlers first touch the database (a handler that does not
 * costs no round trip), by wrapping the query runner's `query`, which everything on `tx` goes through. The
 * previous message's savepoint is released in the same round trip. At most one is held at a time.
 */
export function lazySavepoints(runner: QueryRunner): LazySavepoints {
  const query = runner.query.bind(runner);
  let due = false;
  const state: LazySavepoints = {
    taken: false,
    held: false,
    failure: undefined,
    next() {
      due = true;
      state.taken = false;
    },
    done() {
      due = false;
    },
  };
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    if (!due) return query(...args);
    due = false;
    const take = query(state.held ? `RELEASE SAVEPOINT ${SAVEPOINT}; SAVEPOINT ${SAVEPOINT}` : `SAVEPOINT ${SAVEPOINT}`).then(
      () => {
        state.held = state.taken = true;
      },
      (e: unknown) => {
        state.failure = e;
        throw e;
      },
    );
    return take.then(() => query(...args));
  }) as QueryRunner['query'];
  return state;
}
