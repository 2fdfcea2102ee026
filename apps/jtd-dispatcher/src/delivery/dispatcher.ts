import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicJob } from '@app/shared/app/periodic-job';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { DispatchPass } from './dispatch-pass';
import { IntakeLeases } from './intake-leases';
import { JobWakeups } from './job-wakeups';
import { JtdNotifications } from './jtd-notifications';

/** How long shutdown waits for a running pass (a provider call may hang until its timeout). */
const SHUTDOWN_WAIT_MS = 5000;

/**
 * The dispatcher loop: passes (DispatchPass) on the shared PeriodicJob, every JTD_POLL_INTERVAL_MS after the
 * previous one ends, and at once when jobs become due — in this replica right after the creating commit
 * (JobWakeups), in another by NOTIFY `jtd_jobs` (JtdNotifications). A wake-up during a pass runs another
 * right after it. Jobs due when they are created skip that: the creating transaction leases them
 * (IntakeLeases, served while the loop runs). Every replica runs it: claims skip the rows another replica
 * holds. JTD_WORKER_ENABLED=false leaves it off (tests drive `tick()` with a clock they move).
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly loop: PeriodicJob<void>;
  private wakeRequested = false;
  private followUp?: Promise<void>;
  private stopped = false;
  private unsubscribe?: () => void;
  private stopLeasing?: () => void;

  constructor(
    private readonly config: JtdDispatcherConfig,
    private readonly pass: DispatchPass,
    private readonly wakeups: JobWakeups,
    private readonly notifications: JtdNotifications,
    private readonly intake: IntakeLeases,
  ) {
    this.loop = new PeriodicJob({ name: 'jtd-dispatcher', everyMs: config.JTD_POLL_INTERVAL_MS, firstAfterMs: 0, run: () => this.passesUntilQuiet() });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.JTD_WORKER_ENABLED) return;
    this.unsubscribe = this.wakeups.onWake(() => this.wake());
    this.stopLeasing = this.intake.serve((tx, jobs) => this.pass.leaseNew(tx, jobs));
    await this.notifications.listen(() => this.wake()).catch((err: Error) => this.logger.warn(`LISTEN failed, polling only: ${err.message}`));
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopLeasing?.();
    this.unsubscribe?.();
    await this.notifications.close();
    let timer: NodeJS.Timeout | undefined;
    // The loop's passes leave their sends running; as before, shutdown waits (bounded) for them. Not for a
    // `tick()` of a test, which shutdown never waited for (tests close an app mid-send to play a crash).
    const stopped = this.loop.stop().then(() => (this.config.JTD_WORKER_ENABLED ? this.pass.settled() : undefined));
    await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** One pass now, outside the loop, until every outcome is recorded; answers the jobs claimed. */
  tick(): Promise<number> {
    return this.pass.run(() => this.stopped);
  }

  private async passesUntilQuiet(): Promise<void> {
    do {
      this.wakeRequested = false;
      // Not waiting for the sends: a wake-up meanwhile claims the new jobs now (the pass bounds what is in flight).
      await this.pass.run(() => this.stopped, false);
    } while (this.wakeRequested && !this.stopped);
  }

  /** Jobs became due: a pass now, or another right after the running one (at most one follow-up waits). */
  private wake(): void {
    if (this.stopped) return;
    this.wakeRequested = true;
    if (this.followUp) return;
    this.followUp = this.loop
      .runNow()
      .then(
        () => undefined,
        (err: Error) => this.logger.error(`jtd-dispatcher run failed: ${err?.stack ?? err}`),
      )
      .finally(() => {
        this.followUp = undefined;
        if (this.wakeRequested) this.wake();
      });
  }
}
