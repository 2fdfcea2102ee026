import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runExclusively } from '../db/advisory-lock';

export interface PeriodicJobOptions<T> {
  /** Names the job in logs (`retention-purge`, `event-scheduler`). */
  name: string;
  /** Pause between the end of one run and the start of the next. */
  everyMs: number;
  /** Delay before the first run (default `everyMs`). */
  firstAfterMs?: number;
  run: () => Promise<T>;
  /** Once across replicas: a run starts only while this replica holds the advisory lock `key` (others skip it). */
  exclusive?: { dataSource: DataSource; key: string };
  /** How a failed run is logged (default `error`); a gauge refresher that fails while the broker is away says less. */
  failureLevel?: 'error' | 'warn' | 'debug';
}

/**
 * The one timer loop of the project: runs a job every `everyMs`, never two runs of it at once in this
 * process (the next run is scheduled when the previous ends), optionally once across replicas, logs
 * failures and keeps going, and stops cleanly: `stop()` cancels the next run and waits for the running one.
 *
 * ```ts
 * private readonly job = new PeriodicJob({ name: 'retention-purge', everyMs: HOUR, firstAfterMs: MINUTE,
 *   exclusive: { dataSource, key: `messaging-retention:${schema}` }, run: () => this.purge() });
 * onApplicationBootstrap() { this.job.start(); }
 * onModuleDestroy() { return this.job.stop(); }
 * ```
 * Timers are `unref`'d: a job never keeps a process alive.
 */
export class PeriodicJob<T = unknown> {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private current?: Promise<T | undefined>;
  private started = false;

  constructor(private readonly options: PeriodicJobOptions<T>) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(this.options.firstAfterMs ?? this.options.everyMs);
  }

  /** Cancels the next run and waits for the one in progress (its failure is logged, not thrown). */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
  }

  /**
   * One run now, outside the schedule; while a run is in progress, that run. Resolves with the job's
   * answer (undefined when another replica held the lock); rejects with its error.
   */
  runNow(): Promise<T | undefined> {
    this.current ??= this.execute().finally(() => (this.current = undefined));
    return this.current;
  }

  get isRunning(): boolean {
    return this.current !== undefined;
  }

  private async execute(): Promise<T | undefined> {
    const { exclusive, run } = this.options;
    if (!exclusive) return run();
    const outcome = await runExclusively(exclusive.dataSource, exclusive.key, run);
    return outcome.ran ? outcome.value : undefined;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.runNow();
    } catch (err) {
      const text = `${this.options.name} run failed: ${(err as Error)?.stack ?? String(err)}`;
      const level = this.options.failureLevel ?? 'error';
      if (level === 'error') this.logger.error(text);
      else if (level === 'warn') this.logger.warn(text);
      else this.logger.debug(text);
    }
    if (this.started) this.schedule(this.options.everyMs);
  }
}
