import { Injectable } from '@nestjs/common';
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
 * are small). Answers the jobs claimed.
 */
@Injectable()
export class DispatchPass {
  constructor(
    private readonly config: JtdDispatcherConfig,
    private readonly recoverLeases: RecoverLeasesStep,
    private readonly claim: ClaimStep,
    private readonly sendStep: SendStep,
    private readonly recordOutcomes: RecordOutcomesStep,
  ) {}

  async run(stopping: () => boolean = () => false): Promise<number> {
    await this.recoverLeases.run();
    let handled = 0;
    let jobsInFlight = 0;
    const inFlight = new Set<Promise<void>>();
    const maxInFlight = IN_FLIGHT_BATCHES * this.config.JTD_BATCH_SIZE;
    try {
      for (;;) {
        while (jobsInFlight >= maxInFlight) await Promise.race(inFlight);
        const batch = await this.claim.claim(Math.min(this.config.JTD_BATCH_SIZE, maxInFlight - jobsInFlight));
        if (batch.claimed === 0) break;
        handled += batch.claimed;
        jobsInFlight += batch.claimed;
        const run: Promise<void> = this.sendAndRecord(batch.sends).finally(() => {
          jobsInFlight -= batch.claimed;
          inFlight.delete(run);
        });
        inFlight.add(run);
        if (stopping()) break;
      }
    } finally {
      await Promise.all(inFlight);
    }
    return handled;
  }

  private async sendAndRecord(sends: Parameters<SendStep['send']>[0]): Promise<void> {
    if (sends.length === 0) return;
    await this.recordOutcomes.record(await this.sendStep.send(sends));
  }
}
