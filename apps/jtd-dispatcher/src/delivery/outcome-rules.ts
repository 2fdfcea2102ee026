import { JobPatch, JobRow } from '../jobs/job-row';
import { SendOutcome } from '../providers/delivery-adapter';
import { FallbackPlan } from './channel-fallback';
import { describeFailover, ProviderAttempt } from './provider-failover';
import { retryDelayMs } from './retry-policy';

/** Channels we deliver ourselves (idempotent by job id), so an interrupted send can simply run again. */
const INTERNAL_CHANNELS = ['inapp'];

/** What a send's outcome does to its job. */
export interface OutcomeMove {
  to: 'sent' | 'failed' | 'pending';
  /** The statuses on the way when there are several (a channel fallback: failed → pending); else just `to`. */
  path?: string[];
  reason: string | null;
  details?: Record<string, unknown>;
  patch: JobPatch;
  /** What the metrics count once it is committed. */
  counted: 'sent' | 'retried' | 'failed' | 'fallback' | null;
  /** A push token the provider declared dead (and why): later push jobs to it fail as invalid recipients. */
  deadToken?: { token: string; reason: string };
}

export interface OutcomeTerms {
  workerId: string;
  now: Date;
  /** Who answered: `internal` (in-app), `sandbox` (test mode), or the adapter's provider. */
  provider: string;
  /** The channel's cost per message. */
  cost: string;
  random?: () => number;
}

/**
 * The outcome of a send, for the job as it is now (locked):
 * - only the lease holder records it; a dead replica's late `sent` still corrects a job the recovery
 *   failed as UNKNOWN_OUTCOME; anything else is recorded as an attempt only (null here);
 * - sent: the provider's id is written by the same statement that makes the job `sent`;
 * - retryable (network, timeout, 429, 5xx, FCM QUOTA/UNAVAILABLE/INTERNAL, MSG91 306/311) while attempts
 *   ≤ max retries: failed with the next attempt at the retry policy's delay (or the provider's
 *   Retry-After when longer); otherwise, and for permanent refusals, failed for good.
 */
export function decideOutcome(job: JobRow, outcome: SendOutcome, t: OutcomeTerms): OutcomeMove | null {
  const ownsIt = job.status === 'executing' && job.leaseOwner === t.workerId;
  const recoveredUnknown = job.status === 'failed' && job.errorCode === 'UNKNOWN_OUTCOME';
  if (!ownsIt && !(recoveredUnknown && outcome.kind === 'sent')) return null;
  const release = { leaseOwner: null, leaseUntil: null };
  if (outcome.kind === 'sent') {
    return {
      to: 'sent',
      reason: null,
      counted: 'sent',
      patch: {
        ...release,
        providerMessageId: outcome.providerMessageId,
        providerCode: t.provider,
        sentAt: t.now,
        cost: t.cost,
        lastError: null,
        errorCode: null,
        providerResponse: outcome.response ?? null,
      },
    };
  }
  const retry = outcome.kind === 'retryable' && job.attempts <= job.maxRetries;
  const nextAt = retry ? new Date(t.now.getTime() + retryDelayMs(job.attempts, job.retryDelaySeconds, outcome.retryAfterMs, t.random)) : null;
  return {
    to: 'failed',
    reason: nextAt ? `${outcome.message}; retry ${job.attempts}/${job.maxRetries} at ${nextAt.toISOString()}` : outcome.message,
    details: { code: outcome.code, httpStatus: outcome.httpStatus ?? null, retryable: outcome.kind === 'retryable' },
    counted: retry ? 'retried' : 'failed',
    deadToken: outcome.kind === 'permanent' && outcome.deadToken ? { token: outcome.deadToken, reason: outcome.code } : undefined,
    patch: { ...release, nextAttemptAt: nextAt, lastError: outcome.message, errorCode: outcome.code, providerCode: t.provider },
  };
}

/**
 * The crash rule, for an `executing` job whose lease ran out (its replica died mid-send). Its outcome is
 * unknown, and neither MSG91 (10 s dedupe only) nor FCM offers an idempotency key, so sending again could
 * send twice: external channels → failed, UNKNOWN_OUTCOME, no automatic retry (a person retries after
 * checking the provider); in-app and test-mode jobs, idempotent by job id → back to pending, at once.
 */
export function recoverLostLease(job: JobRow, now: Date): OutcomeMove {
  const release = { leaseOwner: null, leaseUntil: null };
  if (INTERNAL_CHANNELS.includes(job.channelCode) || !job.isLive) {
    return { to: 'pending', reason: 'lease expired during an idempotent send; sending again', counted: null, patch: { ...release, nextAttemptAt: now } };
  }
  const message = 'send outcome unknown: the dispatcher stopped during the provider call; retry manually after checking the provider';
  return { to: 'failed', reason: message, counted: 'failed', patch: { ...release, nextAttemptAt: null, lastError: message, errorCode: 'UNKNOWN_OUTCOME' } };
}

/** The history's account of a send that went through more than one provider (or skipped one): in the note and the details. */
export function withFailoverNote(move: OutcomeMove, attempts: readonly ProviderAttempt[]): OutcomeMove {
  const failover = describeFailover(attempts);
  if (!failover) return move;
  return { ...move, reason: move.reason ? `${move.reason} — ${failover.note}` : failover.note, details: { ...move.details, ...failover.details } };
}

/**
 * A job that failed for good on its channel, with the tenant's fallback plan: on to the next usable channel
 * (failed → pending, due now, with that channel's address and template, its own retry budget, the channel
 * left remembered so the job never comes back to it); with no usable channel, failed as before, the history
 * saying which fallback channels were passed over and why.
 */
export function withChannelFallback(move: OutcomeMove, job: JobRow, plan: FallbackPlan, now: Date): OutcomeMove {
  const skipped = plan.skipped.map((s) => `${s.channel}: ${s.reason}`).join('; ');
  if (!plan.to) {
    if (plan.skipped.length === 0) return move;
    return {
      ...move,
      reason: `${move.reason}; no fallback channel usable (${skipped})`,
      details: { ...move.details, fallbackSkipped: plan.skipped },
    };
  }
  const from = job.channelCode;
  return {
    ...move,
    to: 'pending',
    path: ['failed', 'pending'],
    reason: `channel fallback ${from} → ${plan.to}${skipped ? ` (passed over ${skipped})` : ''}: ${move.reason}`,
    details: { ...move.details, switch: 'channel_fallback', from, to: plan.to, fallbackSkipped: plan.skipped },
    counted: 'fallback',
    deadToken: move.deadToken,
    patch: {
      ...move.patch,
      nextAttemptAt: now,
      attempts: 0,
      channelCode: plan.to,
      templateId: plan.template.id,
      templateKey: plan.template.templateKey,
      recipientContact: plan.contact,
      channelsTried: [...(job.channelsTried ?? []), from],
    },
  };
}
