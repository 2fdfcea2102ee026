import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JtdStatusChangedPayload } from '@app/shared/catalog/jtd.catalog';
import { Actor, sourceOf } from '@app/shared/context/actor';
import { RequestContext, systemContext } from '@app/shared/context/request-context';
import type { Db, Sql } from '@app/shared/db/sql';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { AppliedChange, PlannedChange, StatusChangeKit, StatusChangeRequest } from '@app/shared/status-machine/status-change';
import { HistoryRow, HistoryTable, StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { JobFlows } from './job-flows';
import { JobPatch, JobRow, withPatch } from './job-row';
import { JobRepository, JobStatusWrite } from './job.repository';
import { NewJob } from './new-job';

/** Where the status kit writes a job's history (the shape every service shares, plus the job's `details`). */
export const JOB_HISTORY: HistoryTable = { table: 'status_history', subjectColumn: 'jtd_id', extra: { details: 'jsonb' } };

/** The dispatcher's own hand-offs: only the history shows them (no JTD_STATUS_CHANGED unless a person made them). */
const INTERNAL_STEPS = new Set(['pending', 'queued', 'executing']);

/** One job's move. */
export interface JobMove {
  job: JobRow;
  /** The statuses it goes through, in order: history gets one row each, the row the last (`pending → queued → executing`). */
  path: readonly string[];
  /** Who the history names (a person, VaNi, the system, a provider's webhook). */
  actor: Actor;
  /** The note of the last step. */
  reason?: string | null;
  /** The history's details of the last step (a provider's code, whether it retries). */
  details?: Record<string, unknown>;
  /** Columns the last step sets besides the status (lease, next attempt, provider id…). */
  patch?: JobPatch;
  /** The request that asked for it; without one, the events are the actor's own (a context per tenant and actor). */
  ctx?: RequestContext;
}

interface JobMoveRequest extends StatusChangeRequest {
  patch: JobPatch;
  /** This step's place in its job's path; the last one writes the row. */
  step: number;
  steps: number;
}

/**
 * The one way a job changes status: the shared StatusChangeKit with the dispatcher's hooks. The kit checks
 * each step against the tenant's soft `jtd:<event type>` machine (an undefined move is made and flagged
 * `is_valid_transition = false`; a status the flow lacks is refused) and builds the history rows; `apply`
 * writes the rows and the history in one statement whatever the number of jobs (JobRepository.setStatuses);
 * `events` announces JTD_STATUS_CHANGED, except the internal hand-offs. The caller holds the rows locked.
 */
@Injectable()
export class JobStatusMover {
  private readonly logger = new Logger('JobStatus');
  private readonly kit: StatusChangeKit<JobRow, JobMoveRequest>;

  constructor(
    private readonly flows: JobFlows,
    private readonly jobs: JobRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    history: StatusHistoryWriter,
  ) {
    this.kit = new StatusChangeKit<JobRow, JobMoveRequest>(
      { outbox, clock, history },
      {
        apply: (tx, _ctx, changes, historyInsert) => this.apply(tx, changes, historyInsert),
        events: (change) =>
          isAnnounced(change.history.actor, change.to) ? [statusChanged(change.subject, change.from, change.to, change.updated.version)] : [],
      },
    );
  }

  /** Moves one job; answers the row as it now is. */
  async move(tx: Db, move: JobMove): Promise<JobRow> {
    return (await this.moveMany(tx, [move]))[0];
  }

  /**
   * Moves many jobs at once (one `apply`, one history INSERT inside it, one outbox append per context),
   * whatever their tenants. Answers the updated rows, in order.
   */
  async moveMany(tx: Db, moves: readonly JobMove[]): Promise<JobRow[]> {
    if (moves.length === 0) return [];
    const at = this.clock.now();
    const machines = new Map<string, ReadonlyMap<string, StatusMachine>>();
    const contexts = new Map<string, RequestContext>();
    const steps: Array<{ machine: StatusMachine; subject: JobRow; request: JobMoveRequest }> = [];
    for (const m of moves) {
      const tenantMachines = machines.get(m.job.tenantId) ?? (await this.flows.machines(tx, m.job.tenantId));
      machines.set(m.job.tenantId, tenantMachines);
      const machine = tenantMachines.get(m.job.eventTypeCode);
      if (!machine) throw new Error(`no status flow is configured for jtd:${m.job.eventTypeCode}`);
      steps.push(...stepsOf(m, machine, this.contextOf(m, contexts), at));
    }
    const applied = await this.kit.changeMany(tx, steps[0].request.eventContext!, steps);
    return applied.filter((a) => a.request.step === a.request.steps - 1).map((a) => a.updated);
  }

  /**
   * A job about to be created that a claim moves on at once (IntakeLeases: `pending → queued → executing`
   * under a lease; `move.job` is the row it would have been, `newJobRow`): the job as the INSERT is to write
   * it, already moved, with `move`'s history rows as `moveMany` would have written them. No UPDATE follows.
   * Announces nothing: only the dispatcher's internal hand-offs are made this way.
   */
  movedAtCreation(machine: StatusMachine, job: NewJob, move: JobMove): { job: NewJob; history: HistoryRow[] } {
    const at = this.clock.now();
    const ctx = systemContext(job.tenantId, job.correlationId, move.actor);
    const planned = stepsOf(move, machine, undefined, at).map(({ subject, request }) => this.kit.plan(ctx, machine, subject, request, at));
    const last = planned[planned.length - 1];
    // Guards against a caller's mistake: an announced step or another column would be lost without a word.
    if (planned.some((c) => isAnnounced(c.history.actor, c.to))) throw new Error(`a job cannot be created already moved to ${last.to} by ${move.actor.type}`);
    const { leaseOwner, leaseUntil, sendStartedAt, attempts, rendered, nextAttemptAt, recipientContact, ...rest } = move.patch ?? {};
    if (!leaseOwner || !leaseUntil || !sendStartedAt || attempts === undefined || !rendered || Object.keys(rest).length > 0)
      throw new Error('a job moved at creation takes a lease and nothing else');
    return {
      job: {
        ...job,
        status: last.to,
        previousStatus: last.from,
        isValidTransition: last.verdict.isValidTransition,
        version: job.version + planned.length,
        performer: move.actor,
        nextAttemptAt: nextAttemptAt === undefined ? job.nextAttemptAt : nextAttemptAt,
        recipientContact: recipientContact ?? job.recipientContact,
        lease: { leaseOwner, leaseUntil, sendStartedAt, attempts, rendered },
      },
      history: planned.map((c) => c.history),
    };
  }

  /** The first history rows of a new job (nothing → `created` → `to`) and whether its flow defines the move. */
  creation(
    machine: StatusMachine,
    tenantId: string,
    actor: Actor,
    to: string,
    reason: string | null,
    at: Date,
  ): { isValidTransition: boolean; history: HistoryRow[] } {
    const { isValidTransition } = machine.check({ from: 'created', to });
    const row = (from: string | null, status: string, note: string | null, seconds: number | null, valid: boolean): HistoryRow => ({
      tenantId,
      subjectId: '',
      from,
      to: status,
      actor,
      source: sourceOf(actor),
      reason: note,
      secondsInPrevious: seconds,
      isValidTransition: valid,
      at,
    });
    return { isValidTransition, history: [row(null, 'created', 'job created', null, true), row('created', to, reason, 0, isValidTransition)] };
  }

  /** JTD_STATUS_CHANGED of a new job's first move, `created → status` by `actor` (unless an internal hand-off made by the system). */
  async announceCreated(tx: Db, ctx: RequestContext, job: JobRow, status: string, actor: Actor): Promise<void> {
    // Version 2: `created` is the first.
    if (isAnnounced(actor, status)) await this.outbox.append(tx, ctx, [statusChanged(job, 'created', status, 2)]);
  }

  private async apply(tx: Db, changes: readonly PlannedChange<JobRow, JobMoveRequest>[], history: Sql): Promise<JobRow[]> {
    const writes: JobStatusWrite[] = [];
    for (const c of changes) {
      if (!c.verdict.isValidTransition) this.logger.warn(`job ${c.subject.id} moved ${c.from} → ${c.to}, which its flow does not define (allowed, flagged)`);
      if (c.request.step !== c.request.steps - 1) continue;
      writes.push({
        id: c.subject.id,
        tenantId: c.subject.tenantId,
        status: c.to,
        previousStatus: c.from,
        isValidTransition: c.verdict.isValidTransition,
        actor: c.history.actor,
        steps: c.request.steps,
        patch: c.request.patch,
      });
    }
    await this.jobs.setStatuses(tx, writes, changes[0].at, history);
    return changes.map((c) => {
      const { actor } = c.history;
      const moved: JobRow = {
        ...c.subject,
        status: c.to,
        previousStatus: c.from,
        statusChangedAt: c.at,
        isValidTransition: c.verdict.isValidTransition,
        performedByType: actor.type,
        performedById: actor.id,
        performedByName: actor.name,
        version: c.subject.version + 1,
        updatedAt: c.at,
      };
      return c.request.step === c.request.steps - 1 ? withPatch(moved, c.request.patch) : moved;
    });
  }

  /** One context per request, or per tenant and actor for the dispatcher's and webhooks' own moves. */
  private contextOf(m: JobMove, contexts: Map<string, RequestContext>): RequestContext {
    const key = m.ctx
      ? `ctx:${m.ctx.correlationId}:${m.ctx.tenantId}:${m.ctx.actor.id}`
      : `${m.job.tenantId}:${m.actor.type}:${m.actor.id}:${m.job.correlationId ?? m.job.id}:${m.job.traceParent ?? ''}`;
    let ctx = contexts.get(key);
    // The dispatcher's own moves continue the correlation and trace of the work that asked for the job.
    if (!ctx)
      contexts.set(
        key,
        (ctx = m.ctx ?? { ...systemContext(m.job.tenantId, m.job.correlationId ?? randomUUID(), m.actor), traceparent: m.job.traceParent ?? undefined }),
      );
    return ctx;
  }
}

/** The kit's steps of one move: one per status of its path, the last with the move's note, details and patch. */
function stepsOf(
  m: JobMove,
  machine: StatusMachine,
  eventContext: RequestContext | undefined,
  at: Date,
): Array<{ machine: StatusMachine; subject: JobRow; request: JobMoveRequest }> {
  let subject = m.job;
  return m.path.map((to, step) => {
    const last = step === m.path.length - 1;
    const request: JobMoveRequest = {
      to,
      reason: last ? (m.reason ?? null) : null,
      actor: m.actor,
      historyExtra: { details: last ? (m.details ?? {}) : {} },
      eventContext,
      patch: last ? (m.patch ?? {}) : {},
      step,
      steps: m.path.length,
    };
    const out = { machine, subject, request };
    subject = { ...subject, status: to, statusChangedAt: at, version: subject.version + 1 };
    return out;
  });
}

function isAnnounced(actor: Actor, to: string): boolean {
  return actor.type === 'user' || !INTERNAL_STEPS.has(to);
}

function statusChanged(job: JobRow, from: string, to: string, version: number): NewDomainEvent<JtdStatusChangedPayload> {
  return {
    type: 'JTD_STATUS_CHANGED',
    aggregateId: job.id,
    aggregateVersion: version,
    payload: {
      jtdId: job.id,
      sourceType: job.sourceTypeCode,
      sourceId: job.sourceId ?? undefined,
      channel: job.channelCode,
      previousStatus: from,
      newStatus: to,
    },
  };
}

export type AppliedJobChange = AppliedChange<JobRow, JobMoveRequest>;
