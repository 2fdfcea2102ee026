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
import { Admissible, DeliveryAdmission } from './delivery-admission';
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
 * batch leaves its jobs due, as they were. `leaseNew` does the same for jobs the calling transaction is about to
 * create (IntakeLeases), before their INSERT.
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
      const claimed = await this.jobs.claimDue(tx, now, limit);
      if (claimed.length === 0) return { claimed: 0, sends: [] };
      const d = await this.decide(tx, claimed, channels, now);
      return { claimed: claimed.length, sends: await this.write(tx, d) };
    });
  }

  /**
   * Jobs about to be created in `tx`, due now (IntakeLeases; rows as `newJobRow` makes them): gated and admitted
   * before their INSERT, so that those that go out now can be inserted already moved to `executing` (`leased`,
   * JobStatusMover.movedAtCreation) and need no UPDATE. `finish`, after the INSERT, writes the others' moves
   * (quiet hours, failures, holds) and answers what to send. A job whose dedupe key named a job already was not
   * inserted: it is neither moved nor sent, and gives its usage count back (its rate slot stays unused).
   */
  async leaseNew(tx: Db, jobs: JobRow[]): Promise<NewJobsLease> {
    const now = this.clock.now();
    const d = await this.decide(tx, jobs, await this.master.channelTerms(tx), now);
    return {
      leased: new Map(d.sends.map((s) => [s.job.id, s.move])),
      finish: async (tx, inserted) => {
        const exists = (id: string) => inserted.has(id);
        const lost = d.sends.filter((s) => !exists(s.job.id));
        await this.admission.giveBack(
          tx,
          lost.map((s) => s.admitted),
          now,
        );
        const sends = d.sends.filter((s) => exists(s.job.id)).map((s) => ({ ...s.send, job: inserted.get(s.job.id)! }));
        // The leased jobs were inserted moved; the others' moves, waits and leases apply to their inserted rows.
        await this.write(tx, {
          ...d,
          moves: d.moves.filter((m) => exists(m.job.id)).map((m) => ({ ...m, job: inserted.get(m.job.id)! })),
          sends: [],
          broken: d.broken.filter(exists),
          waiting: d.waiting.filter((w) => exists(w.id)),
          failed: d.failed.filter((f) => exists(f.id)),
        });
        return { claimed: jobs.filter((j) => exists(j.id)).length, sends };
      },
    };
  }

  /** The gates and limits of jobs `tx` holds (or is about to insert): what each is to become. Writes only the limits' counters. */
  private async decide(tx: Db, jobs: JobRow[], channels: Map<string, ChannelTerms>, now: Date): Promise<LeaseDecision> {
    const leaseUntil = new Date(now.getTime() + this.config.JTD_LEASE_MS);
    const d: LeaseDecision = { leaseUntil, moves: [], sends: [], broken: [], waiting: [], failed: [] };
    const release = { leaseOwner: null, leaseUntil: null };
    const dead = await this.deadTokens.ofTenants(tx, [...new Set(jobs.filter((j) => j.channelCode === 'push').map((j) => j.tenantId))]);
    const passed: Passed[] = [];
    for (const job of jobs) {
      let verdict: GateVerdict;
      try {
        verdict = await this.gates.check(job, dead.get(job.tenantId), now);
      } catch (err) {
        // One job's unexpected error must not roll back the batch: it is leased untouched, and claimed again when the lease expires.
        this.logger.error(`job ${job.id}: ${(err as Error)?.stack ?? err}`);
        d.broken.push(job.id);
        continue;
      }
      if (verdict.kind === 'pass') passed.push({ ...verdict, job });
      else if (verdict.kind === 'defer') {
        d.moves.push({
          job,
          path: ['scheduled'],
          actor: performerOf(job),
          reason: `quiet hours until ${verdict.until.toISOString()}`,
          patch: { ...release, nextAttemptAt: verdict.until },
        });
      } else {
        d.moves.push({
          job,
          path: ['failed'],
          actor: performerOf(job),
          reason: verdict.message,
          patch: { ...release, nextAttemptAt: null, lastError: verdict.message, errorCode: verdict.code },
        });
        d.failed.push({ id: job.id, channel: job.channelCode, code: verdict.code });
      }
    }

    const { go, waiting, held } = await this.admission.admit(tx, passed, channels, now);
    for (const { item, until, limit: which } of held) {
      const reason = `${which} limit reached; released ${until.toISOString()}`;
      d.moves.push({ job: item.job, path: ['held'], actor: performerOf(item.job), reason, patch: { ...release, nextAttemptAt: until } });
    }
    d.waiting = waiting.map((w) => ({ id: w.item.job.id, at: w.until }));
    for (const c of go) {
      const { job, message } = c;
      const move: JobMove = {
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
      };
      const send: PreparedSend = {
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
      d.sends.push({ job, move, send, admitted: c });
    }
    return d;
  }

  /** Writes a decision: its moves (the sends' to `executing` included), the broken jobs' bare leases, the waits. Answers the sends, as moved. */
  private async write(tx: Db, d: LeaseDecision): Promise<PreparedSend[]> {
    const moved = new Map((await this.mover.moveMany(tx, [...d.moves, ...d.sends.map((s) => s.move)])).map((j) => [j.id, j]));
    await this.jobs.lease(tx, d.broken, this.identity.workerId, d.leaseUntil);
    await this.jobs.postpone(tx, d.waiting);
    if (d.failed.length) afterCommit(tx, 'jtd.claim-metrics', () => d.failed.forEach(({ channel, code }) => this.metrics.failed.inc({ channel, code })));
    return d.sends.map((s) => ({ ...s.send, job: moved.get(s.job.id)! }));
  }
}

/** Due jobs leased at intake (ClaimStep.leaseNew). */
export interface NewJobsLease {
  /** Jobs (by id) to insert already moved to `executing`: their move. */
  leased: ReadonlyMap<string, JobMove>;
  /** After the INSERT (`inserted`: the rows written, by id): the other jobs' moves; answers what to send once `tx` commits. */
  finish(tx: Db, inserted: ReadonlyMap<string, JobRow>): Promise<ClaimedBatch>;
}

/** What the gates and limits made of jobs, before anything but the limits' counters is written. */
interface LeaseDecision {
  /** Until when this replica's leases hold. */
  leaseUntil: Date;
  /** To `scheduled` (quiet hours), `failed` (a gate) or `held` (a usage limit). */
  moves: JobMove[];
  /** To send now: the move to `executing` under this replica's lease, and the prepared send. */
  sends: Array<{ job: JobRow; move: JobMove; send: PreparedSend; admitted: Admissible }>;
  /** Hit an unexpected error: leased untouched. */
  broken: string[];
  /** No rate slot this minute: wait without changing status. */
  waiting: Array<{ id: string; at: Date }>;
  failed: Array<{ id: string; channel: string; code: string }>;
}

/** The statuses a due job passes through to `executing` (history gets a row each). */
export function pathToExecuting(status: string): string[] {
  return [...(status !== 'pending' && status !== 'queued' ? ['pending'] : []), ...(status !== 'queued' ? ['queued'] : []), 'executing'];
}
