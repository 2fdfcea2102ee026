import { Injectable, Logger } from '@nestjs/common';
import { Actor, SYSTEM_ACTORS } from '@app/shared/context/actor';
import { afterCommit } from '@app/shared/db/after-commit';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JobMove, JobStatusMover } from '../jobs/job-status-mover';
import { JobRow } from '../jobs/job-row';
import { JobRepository } from '../jobs/job.repository';
import { ChannelTerms, MasterDataRepository } from '../master-data/master-data.repository';
import { JtdMetrics } from '../metrics/jtd-metrics';
import { ProviderRegistry } from '../providers/provider-registry';
import { DeadTokenRepository } from './dead-token.repository';
import { DeliveryAdmission } from './delivery-admission';
import { DispatcherIdentity } from './dispatcher-identity';
import { GateVerdict, MessageGates } from './message-gates';
import { PreparedSend } from './prepared-send';

export interface ClaimedBatch {
  /** Jobs claimed, whatever became of them. */
  claimed: number;
  /** Those leased as `executing`, ready to send. */
  sends: PreparedSend[];
}

type Passed = Extract<GateVerdict, { kind: 'pass' }> & { job: JobRow };

/** Who a job's moves are made by: VaNi for the action jobs it executes, else the system. */
export function performerOf(job: JobRow): Actor {
  return job.performedByType === 'vani' ? SYSTEM_ACTORS.vani : SYSTEM_ACTORS.system;
}

/**
 * Claim: due jobs (highest priority first; rows another replica holds are skipped) and, in the same
 * transaction, their gates (MessageGates), the shared limits (DeliveryAdmission) and one UPDATE each: its
 * move (to `executing` under this replica's lease; or failed, scheduled, held), its wait for the next rate
 * minute, or a bare lease after an unexpected error (claimed again when the lease ends). A rolled-back
 * batch leaves its jobs due, as they were. `leaseCreated` does the same for jobs the calling transaction has
 * just created (IntakeLeases).
 */
@Injectable()
export class ClaimStep {
  private readonly logger = new Logger('DispatcherClaim');

  constructor(
    private readonly db: Transactions,
    private readonly jobs: JobRepository,
    private readonly deadTokens: DeadTokenRepository,
    private readonly master: MasterDataRepository,
    private readonly gates: MessageGates,
    private readonly admission: DeliveryAdmission,
    private readonly mover: JobStatusMover,
    private readonly providers: ProviderRegistry,
    private readonly metrics: JtdMetrics,
    private readonly clock: Clock,
    private readonly config: JtdDispatcherConfig,
    private readonly identity: DispatcherIdentity,
  ) {}

  async claim(limit: number): Promise<ClaimedBatch> {
    const channels = await this.master.channelTerms(this.db.reader);
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      return this.lease(tx, await this.jobs.claimDue(tx, now, limit), channels, now);
    });
  }

  /** Jobs `tx` created, due now (IntakeLeases): leased in it as if a claim had found them. */
  async leaseCreated(tx: Db, jobs: JobRow[]): Promise<ClaimedBatch> {
    return this.lease(tx, jobs, await this.master.channelTerms(tx), this.clock.now());
  }

  /** Gates, limits and one UPDATE each for jobs `tx` holds. */
  private async lease(tx: Db, claimed: JobRow[], channels: Map<string, ChannelTerms>, now: Date): Promise<ClaimedBatch> {
    const leaseUntil = new Date(now.getTime() + this.config.JTD_LEASE_MS);
    if (claimed.length === 0) return { claimed: 0, sends: [] };

    const moves: JobMove[] = [];
    const failed: Array<{ channel: string; code: string }> = [];
    const release = { leaseOwner: null, leaseUntil: null };
    const dead = await this.deadTokens.ofTenants(tx, [...new Set(claimed.filter((j) => j.channelCode === 'push').map((j) => j.tenantId))]);
    const passed: Passed[] = [];
    const broken: string[] = [];
    for (const job of claimed) {
      let verdict: GateVerdict;
      try {
        verdict = await this.gates.check(job, dead.get(job.tenantId), now);
      } catch (err) {
        // One job's unexpected error must not roll back the batch: it is leased untouched, and claimed again when the lease expires.
        this.logger.error(`job ${job.id}: ${(err as Error)?.stack ?? err}`);
        broken.push(job.id);
        continue;
      }
      if (verdict.kind === 'pass') passed.push({ ...verdict, job });
      else if (verdict.kind === 'defer') {
        moves.push({
          job,
          path: ['scheduled'],
          actor: performerOf(job),
          reason: `quiet hours until ${verdict.until.toISOString()}`,
          patch: { ...release, nextAttemptAt: verdict.until },
        });
      } else {
        moves.push({
          job,
          path: ['failed'],
          actor: performerOf(job),
          reason: verdict.message,
          patch: { ...release, nextAttemptAt: null, lastError: verdict.message, errorCode: verdict.code },
        });
        failed.push({ channel: job.channelCode, code: verdict.code });
      }
    }

    const { go, waiting, held } = await this.admission.admit(tx, passed, channels, now);
    for (const { item, until, limit: which } of held) {
      const reason = `${which} limit reached; released ${until.toISOString()}`;
      moves.push({ job: item.job, path: ['held'], actor: performerOf(item.job), reason, patch: { ...release, nextAttemptAt: until } });
    }
    const sends = go.map((c): PreparedSend => {
      const { job, message } = c;
      moves.push({
        job,
        path: pathToExecuting(job.status),
        actor: performerOf(job),
        patch: {
          leaseOwner: this.identity.workerId,
          leaseUntil,
          sendStartedAt: now,
          attempts: job.attempts + 1,
          nextAttemptAt: null,
          recipientContact: c.contact,
          rendered: { subject: message.shown.subject, body: message.shown.body },
        },
      });
      return {
        job,
        actor: performerOf(job),
        channelCost: channels.get(job.channelCode)?.cost ?? '0',
        shown: message.shown,
        secrets: message.secrets,
        request: {
          jtdId: job.id,
          tenantId: job.tenantId,
          recipientName: job.recipientName,
          recipientId: job.recipientId,
          contact: c.contact,
          template: c.template,
          rendered: message.rendered,
          metadata: job.businessContext,
          // In-app jobs use no provider account: the defaults stand in, whatever the profile.
          credentials: this.providers.credentials(job.tenantId, this.providers.adapter(job.channelCode) ? c.config.providerProfile : null),
        },
      };
    });
    const moved = new Map((await this.mover.moveMany(tx, moves)).map((j) => [j.id, j]));
    for (const s of sends) s.job = moved.get(s.job.id)!;
    await this.jobs.lease(tx, broken, this.identity.workerId, leaseUntil);
    await this.jobs.postpone(
      tx,
      waiting.map((w) => ({ id: w.item.job.id, at: w.until })),
    );
    if (failed.length) afterCommit(tx, 'jtd.claim-metrics', () => failed.forEach((f) => this.metrics.failed.inc(f)));
    return { claimed: claimed.length, sends };
  }
}

/** The statuses a due job passes through to `executing` (history gets a row each). */
export function pathToExecuting(status: string): string[] {
  return [...(status !== 'pending' && status !== 'queued' ? ['pending'] : []), ...(status !== 'queued' ? ['queued'] : []), 'executing'];
}
