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
import { TenantConfigRepository } from '../settings/tenant-config.repository';
import { ChannelFallbackPlanner } from './channel-fallback';
import { DeadTokenRepository } from './dead-token.repository';
import { DispatcherIdentity } from './dispatcher-identity';
import { JobWakeups } from './job-wakeups';
import { decideOutcome, OutcomeMove, withChannelFallback, withFailoverNote } from './outcome-rules';
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
    private readonly tenants: TenantConfigRepository,
    private readonly fallback: ChannelFallbackPlanner,
    private readonly wakeups: JobWakeups,
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
      present.flatMap((r) => attemptsOf(r, this.providerOf(r))),
      now,
    );

    const moves: JobMove[] = [];
    const counted: Array<{ job: JobRow; move: OutcomeMove; cost: string }> = [];
    for (const result of present) {
      const { send, outcome } = result;
      const job = current.get(send.job.id)!;
      let move = decideOutcome(job, outcome, { workerId: this.identity.workerId, now, provider: this.providerOf(result), cost: send.channelCost });
      if (move && result.attempts) move = withFailoverNote(move, result.attempts);
      if (move?.counted === 'failed' && job.isLive && this.providers.adapter(job.channelCode)) {
        // Failed for good on this channel: the tenant's fallback channel, if the job can use one.
        const plan = await this.fallback.plan(tx, job, await this.tenants.cached(tx, job.tenantId));
        move = withChannelFallback(move, job, plan, now);
        if (plan.to) this.wakeups.jobsDue(tx);
      }
      if (!move) {
        this.logger.warn(`job ${job.id} is no longer leased to this worker (${job.status}); outcome ${outcome.kind} recorded as an attempt only`);
        continue;
      }
      moves.push({ job, path: move.path ?? [move.to], actor: send.actor, reason: move.reason, details: move.details, patch: move.patch });
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
    if (move.counted === 'fallback') this.metrics.channelFallbacks.inc({ from: channel, to: move.patch.channelCode ?? 'unknown' });
    else if (move.counted === 'sent') {
      this.metrics.sent.inc({ channel });
      this.metrics.latency.observe({ channel }, (now.getTime() - new Date(job.createdAt).getTime()) / 1000);
      this.metrics.addCost(job.tenantId, channel, Number(cost));
    } else if (move.counted === 'retried') this.metrics.retried.inc({ channel });
    else if (move.counted === 'failed') this.metrics.failed.inc({ channel, code: move.patch.errorCode ?? 'UNKNOWN' });
  }

  /** Who answered: `internal` (in-app), `sandbox` (test mode), else the channel's provider that answered last. */
  private providerOf(r: SendResult): string {
    const { job } = r.send;
    if (job.channelCode === 'inapp') return 'internal';
    if (!job.isLive) return 'sandbox';
    return r.provider ?? this.providers.adapter(job.channelCode)?.provider ?? 'unknown';
  }
}

/** The attempt rows of one send: one per provider it involved (skipped ones included), else one for the send. */
function attemptsOf(r: SendResult, provider: string): NewAttempt[] {
  const { job } = r.send;
  if (r.attempts?.length) {
    return r.attempts.map((a) => ({
      tenantId: job.tenantId,
      jobId: job.id,
      attemptNo: job.attempts,
      channel: a.channel,
      provider: a.provider,
      outcome: a.outcome,
      httpStatus: a.httpStatus,
      providerCode: a.code,
      providerMessageId: a.providerMessageId,
      error: a.error,
      retryAfterMs: a.retryAfterMs,
      latencyMs: a.latencyMs,
    }));
  }
  const o: SendOutcome = r.outcome;
  return [
    {
      tenantId: job.tenantId,
      jobId: job.id,
      attemptNo: job.attempts,
      channel: job.channelCode,
      provider,
      outcome: o.kind,
      httpStatus: o.httpStatus ?? null,
      providerCode: o.kind === 'sent' ? null : o.code,
      providerMessageId: o.kind === 'sent' ? o.providerMessageId : null,
      error: o.kind === 'sent' ? null : o.message,
      retryAfterMs: o.kind === 'retryable' ? (o.retryAfterMs ?? null) : null,
      latencyMs: r.latencyMs,
    },
  ];
}
