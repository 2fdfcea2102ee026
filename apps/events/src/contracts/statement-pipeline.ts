/**
 * Statements of one transaction written while the next ones are built. node-postgres runs a connection's
 * statements one after the other; a caller that awaited each before building the next left Postgres idle
 * while it built, and itself idle while Postgres wrote. Here each statement is handed to the connection as
 * soon as it is built, the next is built while it runs, and at most `depth` batches are alive at once, so
 * memory stays bounded whatever the number of batches.
 *
 * After a failure (the transaction is then aborted and so is every later statement), nothing more is
 * started, the statements in flight are waited for (nothing is left queued on the connection when the
 * caller rolls back), and the first error is thrown.
 */
export class StatementPipeline {
  private readonly inFlight: Promise<unknown>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly depth = 2) {}

  /**
   * Starts a batch's statements in order, each built (synchronously, by its step) only once the one before
   * is on its way to the connection; answers once fewer than `depth` batches are in flight.
   */
  async add(steps: Array<() => Promise<unknown>>): Promise<void> {
    const started: Promise<void>[] = [];
    for (const step of steps) {
      if (this.failure) break;
      // The handler is attached at once: a statement may fail while the next one is being built.
      started.push(
        step().then(
          () => undefined,
          (error: unknown) => void (this.failure ??= { error }),
        ),
      );
      // A macrotask turn lets the statement reach the connection (through TypeORM's awaits) before the
      // next step builds synchronously.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.inFlight.push(Promise.all(started));
    while (this.inFlight.length >= this.depth && !this.failure) await this.inFlight.shift();
    if (this.failure) await this.drain();
  }

  /** Waits for every batch; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
    if (this.failure) throw this.failure.error;
  }
}
