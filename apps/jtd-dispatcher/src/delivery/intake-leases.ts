import { Injectable } from '@nestjs/common';
import type { Db } from '@app/shared/db/sql';
import type { JobMove } from '../jobs/job-status-mover';
import type { JobRow } from '../jobs/job-row';

/** A lease taken for jobs about to be created (ClaimStep.leaseNew, through a running dispatcher). */
export interface IntakeLease {
  /** Jobs (by id) to insert already moved to `executing`: their move (JobStatusMover.movedAtCreation). */
  leased: ReadonlyMap<string, JobMove>;
  /** Call right after the INSERT with the rows it wrote, by id: writes the other jobs' moves; the sends start once `tx` commits. */
  finish(tx: Db, inserted: ReadonlyMap<string, JobRow>): Promise<void>;
}

/** Leases jobs about to be created in `tx` (rows as `newJobRow` makes them); null when they are left for a claim. */
export type IntakeLessor = (tx: Db, jobs: JobRow[]) => Promise<IntakeLease | null>;

/**
 * Jobs due the moment they are created are leased by the transaction that creates them, when this replica's
 * dispatcher runs and has room, and sent once it commits: no wake-up, claim query and claiming transaction
 * between a request and its provider call. Their gates and limits run before the INSERT, which writes those
 * that go out now straight as `executing` under the lease (no UPDATE of the new rows). The dispatcher serves
 * the leases while its loop runs (JTD_WORKER_ENABLED); otherwise, and when it is full, the jobs wait for a
 * claim as before.
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

  /** Leases `jobs` (about to be created in `tx`, due now) if a running dispatcher has room; null: they wait for a claim. */
  lease(tx: Db, jobs: JobRow[]): Promise<IntakeLease | null> {
    return this.lessor && jobs.length > 0 ? this.lessor(tx, jobs) : Promise.resolve(null);
  }
}
