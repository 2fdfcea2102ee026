import { Injectable } from '@nestjs/common';
import { Db, many, sql } from '@app/shared/db/sql';

/** A history row of a job (the shared shape, plus the job's `details` and the `seq` its pages are keyed on). */
export interface JobHistoryRow {
  /** bigserial: pg hands it over as text. */
  seq: string;
  from: string | null;
  to: string;
  at: Date;
  secondsInPrevious: number | null;
  isValidTransition: boolean;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** Reads of `status_history` (the status kit writes it: JobStatusMover). */
@Injectable()
export class JobHistoryRepository {
  /** Oldest first, after `afterSeq`. */
  ofJob(db: Db, tenantId: string, jobId: string, afterSeq: number, limit: number): Promise<JobHistoryRow[]> {
    return many(
      db,
      sql`SELECT seq, from_status AS "from", to_status AS "to", at, seconds_in_previous AS "secondsInPrevious", is_valid_transition AS "isValidTransition",
            actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName", reason, details
          FROM status_history WHERE jtd_id = ${jobId} AND tenant_id = ${tenantId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`,
    );
  }
}
