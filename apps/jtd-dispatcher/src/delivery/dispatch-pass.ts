import { Injectable, Logger } from '@nestjs/common';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { ClaimStep } from './claim.step';
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
 */
@Injectable()
export class DispatchPass {
  private readonly logger = new Logger('Dispatcher');
  private readonly inFlight = new Set<Promise<void>>();
  private jobsInFlight = 0;

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
    const maxInFlight = IN_FLIGHT_BATCHES * this.config.JTD_BATCH_SIZE;
    try {
      for (;;) {
        while (this.jobsInFlight >= maxInFlight) await Promise.race(this.inFlight);
        const batch = await this.claim.claim(Math.min(this.config.JTD_BATCH_SIZE, maxInFlight - this.jobsInFlight));
        if (batch.claimed === 0) break;
        handled += batch.claimed;
        this.jobsInFlight += batch.claimed;
        const run: Promise<void> = this.sendAndRecord(batch.sends)
          // Recording logs its own failures; anything else must not leave a rejected promise in the set (the jobs stay leased and are recovered).
          .catch((err: Error) => this.logger.error(`sending ${batch.sends.length} jobs failed: ${err?.stack ?? err}`))
          .finally(() => {
            this.jobsInFlight -= batch.claimed;
            this.inFlight.delete(run);
          });
        this.inFlight.add(run);
        if (stopping()) break;
      }
    } finally {
      if (settle) await this.settled();
    }
    return handled;
  }

  /** Resolves when no send of any pass is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async sendAndRecord(sends: Parameters<SendStep['send']>[0]): Promise<void> {
    if (sends.length === 0) return;
    await this.recordOutcomes.record(await this.sendStep.send(sends));
  }
}
