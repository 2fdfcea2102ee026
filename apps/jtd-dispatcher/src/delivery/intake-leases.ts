import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import type { JobRow } from '../jobs/job-row';

/** Leases jobs created in `tx` as a claim would; false when they are left for a claim. */
export type IntakeLessor = (tx: Db, jobs: JobRow[]) => Promise<boolean>;

/**
 * Jobs due the moment they are created are leased by the transaction that creates them, when this replica's
 * dispatcher runs and has room, and sent once it commits: no wake-up, claim query and claiming transaction
 * between a request and its provider call. The dispatcher serves the leases while its loop runs
 * (JTD_WORKER_ENABLED); otherwise, and when it is full, the jobs wait for a claim as before.
 *
 * Only for a creation that is the last write of its transaction or savepoint: the sends start when the
 * outermost transaction commits, so a savepoint rolled back after the lease would send jobs that do not exist.
 */
@Injectable()
export class IntakeLeases {
  private lessor?: IntakeLessor;

  /** `lessor` takes created jobs from now on; answers the function that stops it. */
  serve(lessor: IntakeLessor): () => void {
    this.lessor = lessor;
    return () => {
      if (this.lessor === lessor) this.lessor = undefined;
    };
  }

  /** Leases `jobs` (created in `tx`, due now) if a running dispatcher has room; false: they wait for a claim. */
  lease(tx: Db, jobs: JobRow[]): Promise<boolean> {
    return this.lessor && jobs.length > 0 ? this.lessor(tx, jobs) : Promise.resolve(false);
  }
}
