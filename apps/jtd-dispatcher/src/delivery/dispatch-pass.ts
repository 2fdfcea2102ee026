import { Injectable, Logger } from '@nestjs/common';
import { afterCommit } from '@app/shared/db/after-commit';
import type { Db } from '@app/shared/db/sql';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import type { JobRow } from '../jobs/job-row';
import type { IntakeLease } from './intake-leases';
import { ClaimedBatch, ClaimStep } from './claim.step';
import { RecordOutcomesStep } from './record-outcomes.step';
import { RecoverLeasesStep } from './recover-leases.step';
import { SendStep } from './send.step';

/** Jobs whose provider calls may be running at once, in batches' worth (JTD_BATCH_SIZE each). */
const IN_FLIGHT_BATCHES = 4;

/**
 * One pass of the pipeline: recover expired leases, then claim batches until none is due, each batch sent
 * and its outcomes recorded while the next is claimed. Claiming does not wait for earlier batches' provider
 * calls: up to IN_FLIGHT_BATCHES × JTD_BATCH_SIZE jobs are being sent and recorded at once, so one slow
 * provider answer does not stall the queue (bounded by jobs, not batches: under a steady trickle batches
 * are small). The bound holds across passes: a pass may end while the sends it started are still running,
 * so that jobs made due meanwhile are claimed at once instead of after the slowest outcome of the pass.
 * Jobs leased by the transaction that creates them (`leaseNew`) join the same bound once it commits.
 */
@Injectable()
export class DispatchPass {
  private readonly logger = new Logger('Dispatcher');
  private readonly inFlight = new Set<Promise<void>>();
  private jobsInFlight = 0;
  private intakes = 0;

  constructor(
    private readonly config: JtdDispatcherConfig,
    private readonly recoverLeases: RecoverLeasesStep,
    private readonly claim: ClaimStep,
    private readonly sendStep: SendStep,
    private readonly recordOutcomes: RecordOutcomesStep,
  ) {}

  /**
   * Answers the jobs claimed. `settle`: also wait until every send started (by this pass or an earlier one)
   * has its outcome recorded — what a caller that looks at the outcomes next (tests, shutdown) needs.
   */
  async run(stopping: () => boolean = () => false, settle = true): Promise<number> {
    await this.recoverLeases.run();
    let handled = 0;
    try {
      for (;;) {
        while (this.room() <= 0) await Promise.race(this.inFlight);
        const batch = await this.claim.claim(Math.min(this.config.JTD_BATCH_SIZE, this.room()));
        if (batch.claimed === 0) break;
        handled += batch.claimed;
        this.start(batch);
        if (stopping()) break;
      }
    } finally {
      if (settle) await this.settled();
    }
    return handled;
  }

  /**
   * Jobs about to be created in `tx`, due now (IntakeLeases): leased in it when they are no more than a claim's
   * batch and the sends in flight leave room for them, and sent once it commits (a rolled-back transaction takes
   * its leases with it and sends nothing).
   */
  async leaseNew(tx: Db, jobs: JobRow[]): Promise<IntakeLease | null> {
    if (jobs.length > Math.min(this.config.JTD_BATCH_SIZE, this.room())) return null;
    const lease = await this.claim.leaseNew(tx, jobs);
    return {
      leased: lease.leased,
      finish: async (tx, inserted) => {
        const batch = await lease.finish(tx, inserted);
        afterCommit(tx, `jtd.intake.${++this.intakes}`, () => this.start(batch));
      },
    };
  }

  /** Resolves when no send of any pass is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Jobs that may still be leased before the bound; leases made at intake and not yet committed are not counted. */
  private room(): number {
    return IN_FLIGHT_BATCHES * this.config.JTD_BATCH_SIZE - this.jobsInFlight;
  }

  private start(batch: ClaimedBatch): void {
    this.jobsInFlight += batch.claimed;
    const run: Promise<void> = this.sendAndRecord(batch.sends)
      // Recording logs its own failures; anything else must not leave a rejected promise in the set (the jobs stay leased and are recovered).
      .catch((err: Error) => this.logger.error(`sending ${batch.sends.length} jobs failed: ${err?.stack ?? err}`))
      .finally(() => {
        this.jobsInFlight -= batch.claimed;
        this.inFlight.delete(run);
      });
    this.inFlight.add(run);
  }

  private async sendAndRecord(sends: Parameters<SendStep['send']>[0]): Promise<void> {
    if (sends.length === 0) return;
    await this.recordOutcomes.record(await this.sendStep.send(sends));
  }
}
