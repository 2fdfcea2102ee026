import { Injectable, Logger } from '@nestjs/common';
import { afterCommit } from '@app/shared/db/after-commit';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { AttemptRepository, NewAttempt } from '../jobs/attempt.repository';
import { JobMove, JobStatusMover } from '../jobs/job-status-mover';
import { JobRow } from '../jobs/job-row';
import { JobRepository } from '../jobs/job.repository';
import { SandboxRepository } from '../jobs/sandbox.repository';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { SendOutcome } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { DeadTokenRepository } from './dead-token.repository';
import { DispatcherIdentity } from './dispatcher-identity';
import { decideOutcome, OutcomeMove } from './outcome-rules';
import { SendResult } from './prepared-send';

/**
 * Record outcome: every outcome of a batch in one transaction — the jobs locked (id order), test-mode
 * requests into the sandbox, one attempt row each, then the moves to sent / failed (outcome-rules.ts) in
 * one statement. Metrics count once it committed. If it fails, the jobs stay `executing` under this lease
 * and the crash rule recovers them when it expires.
 */
@Injectable()
export class RecordOutcomesStep {
  private readonly logger = new Logger('DispatcherOutcomes');

  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly attempts: AttemptRepository,
    private readonly sandbox: SandboxRepository,
    private readonly deadTokens: DeadTokenRepository,
    private readonly mover: JobStatusMover,
    private readonly providers: ProviderRegistry,
    private readonly metrics: JtdMetrics,
    private readonly clock: Clock,
    private readonly identity: DispatcherIdentity,
  ) {}

  async record(results: readonly SendResult[]): Promise<void> {
    if (results.length === 0) return;
    try {
      await this.db.run((tx) => this.recordIn(tx, results));
    } catch (err) {
      this.logger.error(`recording ${results.length} outcomes failed: ${(err as Error)?.stack ?? err}`);
    }
  }

  private async recordIn(tx: Db, results: readonly SendResult[]): Promise<void> {
    const current = new Map(
      (
        await this.jobs.lockMany(
          tx,
          results.map((r) => r.send.job.id),
        )
      ).map((j) => [j.id, j]),
    );
    const present = results.filter((r) => current.has(r.send.job.id)).map((r) => ({ ...r }));
    // Idempotent by job id: a job sent again after a lost lease keeps one sandbox row.
    const sandboxed = present.filter((r) => r.sandbox && r.outcome.kind === 'sent');
    const stored = await this.sandbox.upsert(
      tx,
      sandboxed.map((r) => ({
        tenantId: r.send.job.tenantId,
        jobId: r.send.job.id,
        channel: r.send.job.channelCode,
        provider: r.sandbox!.provider,
        request: r.sandbox!.request,
      })),
    );
    for (const r of sandboxed) r.outcome = { kind: 'sent', providerMessageId: `sandbox:${stored.get(r.send.job.id)}` };

    const now = this.clock.now();
    await this.attempts.insertMany(
      tx,
      present.map((r) => attemptOf(r, this.providerOf(r.send.job))),
      now,
    );

    const moves: JobMove[] = [];
    const counted: Array<{ job: JobRow; move: OutcomeMove; cost: string }> = [];
    for (const { send, outcome } of present) {
      const job = current.get(send.job.id)!;
      const move = decideOutcome(job, outcome, { workerId: this.identity.workerId, now, provider: this.providerOf(job), cost: send.channelCost });
      if (!move) {
        this.logger.warn(`job ${job.id} is no longer leased to this worker (${job.status}); outcome ${outcome.kind} recorded as an attempt only`);
        continue;
      }
      moves.push({ job, path: [move.to], actor: send.actor, reason: move.reason, details: move.details, patch: move.patch });
      counted.push({ job, move, cost: send.channelCost });
    }
    await this.deadTokens.insertMany(
      tx,
      counted.flatMap(({ job, move }) => (move.deadToken ? [{ tenantId: job.tenantId, ...move.deadToken }] : [])),
    );
    await this.mover.moveMany(tx, moves);
    afterCommit(tx, 'jtd.outcome-metrics', () => {
      for (const { job, move, cost } of counted) this.count(job, move, cost, now);
    });
  }

  private count(job: JobRow, move: OutcomeMove, cost: string, now: Date): void {
    const channel = job.channelCode;
    if (move.counted === 'sent') {
      this.metrics.sent.inc({ channel });
      this.metrics.latency.observe({ channel }, (now.getTime() - new Date(job.createdAt).getTime()) / 1000);
      this.metrics.addCost(job.tenantId, channel, Number(cost));
    } else if (move.counted === 'retried') this.metrics.retried.inc({ channel });
    else if (move.counted === 'failed') this.metrics.failed.inc({ channel, code: move.patch.errorCode ?? 'UNKNOWN' });
  }

  private providerOf(job: JobRow): string {
    if (job.channelCode === 'inapp') return 'internal';
    return job.isLive ? (this.providers.adapter(job.channelCode)?.provider ?? 'unknown') : 'sandbox';
  }
}

function attemptOf(r: SendResult, provider: string): NewAttempt {
  const { job } = r.send;
  const o: SendOutcome = r.outcome;
  return {
    tenantId: job.tenantId,
    jobId: job.id,
    attemptNo: job.attempts,
    provider,
    outcome: o.kind,
    httpStatus: o.httpStatus ?? null,
    providerCode: o.kind === 'sent' ? null : o.code,
    providerMessageId: o.kind === 'sent' ? o.providerMessageId : null,
    error: o.kind === 'sent' ? null : o.message,
    retryAfterMs: o.kind === 'retryable' ? (o.retryAfterMs ?? null) : null,
    latencyMs: r.latencyMs,
  };
}
