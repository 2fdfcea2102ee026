import { Injectable } from '@nestjs/common';
import { Db, exec, many, sql } from '@app/shared/db/sql';

/** One call to a provider (or the in-app inbox, or the sandbox) for a job. */
export interface AttemptRow {
  attemptNo: number;
  /** The channel the job was on (a job may move on to a fallback channel); null on attempts older than failover. */
  channel: string | null;
  provider: string;
  /** sent | retryable | permanent | skipped (the provider was not called: circuit open, or its Retry-After not over) */
  outcome: string;
  httpStatus: number | null;
  providerCode: string | null;
  providerMessageId: string | null;
  error: string | null;
  retryAfterMs: number | null;
  latencyMs: number | null;
  at: Date;
}

export interface NewAttempt extends Omit<AttemptRow, 'at'> {
  tenantId: string;
  jobId: string;
}

/** `attempts`: what every send of a job got back. */
@Injectable()
export class AttemptRepository {
  async insertMany(tx: Db, attempts: readonly NewAttempt[], at: Date): Promise<void> {
    if (attempts.length === 0) return;
    const col = (f: (a: NewAttempt) => unknown, type: string) => sql.array(attempts.map(f), type);
    await exec(
      tx,
      sql`INSERT INTO attempts (tenant_id, jtd_id, attempt_no, channel, provider, outcome, http_status, provider_code, provider_message_id, error, retry_after_ms, latency_ms, at)
          SELECT u.*, ${at}::timestamptz FROM unnest(${sql.join([
            col((a) => a.tenantId, 'uuid'),
            col((a) => a.jobId, 'uuid'),
            col((a) => a.attemptNo, 'int'),
            col((a) => a.channel, 'text'),
            col((a) => a.provider, 'text'),
            col((a) => a.outcome, 'text'),
            col((a) => a.httpStatus, 'int'),
            col((a) => a.providerCode, 'text'),
            col((a) => a.providerMessageId, 'text'),
            col((a) => a.error, 'text'),
            col((a) => a.retryAfterMs, 'int'),
            col((a) => a.latencyMs, 'int'),
          ])}) AS u`,
    );
  }

  /** A job's attempts, oldest first. */
  ofJob(db: Db, tenantId: string, jobId: string): Promise<AttemptRow[]> {
    return many(
      db,
      sql`SELECT attempt_no AS "attemptNo", channel, provider, outcome, http_status AS "httpStatus", provider_code AS "providerCode",
            provider_message_id AS "providerMessageId", error, retry_after_ms AS "retryAfterMs", latency_ms AS "latencyMs", at
          FROM attempts WHERE jtd_id = ${jobId} AND tenant_id = ${tenantId} ORDER BY at, seq`,
    );
  }
}
