import { Actor, sourceOf } from '../context/actor';
import { RequestContext } from '../context/request-context';
import type { Db, Sql } from '../db/sql';
import { NewDomainEvent } from '../messaging/envelope';
import { Outbox } from '../messaging/outbox';
import { Clock } from '../time/clock';
import { HistoryRow, StatusHistoryWriter } from './status-history';
import { MoveVerdict, secondsSince, StatusMachine } from './status-machine';

/** What the kit needs of a row whose status changes. */
export interface StatusSubject {
  id: string;
  tenantId: string;
  status: string;
  statusChangedAt: Date | string | null;
}

export interface StatusChangeRequest {
  to: string;
  reason?: string | null;
  evidenceIds?: readonly string[] | null;
  /**
   * Skips the flow's rules and the guard (a contract's cancellation closes its events whatever their flow
   * says); the history row records whether the flow defines the move.
   */
  force?: boolean;
  /** Who the history names, when not the context's actor (the dispatcher's worker acting for itself). */
  actor?: Actor;
  /** Values of the history table's extra columns. */
  historyExtra?: Record<string, unknown>;
  /**
   * The context this move's events are appended under, when not the caller's: a batch of moves across
   * tenants or actors (the dispatcher's claim) gives each group its own context object; the groups' events are
   * appended together (Outbox.appendGroups: one statement).
   */
  eventContext?: RequestContext;
}

/** A checked move, before anything is written. */
export interface PlannedChange<S extends StatusSubject, R extends StatusChangeRequest = StatusChangeRequest> {
  subject: S;
  machine: StatusMachine;
  /** As the caller gave it: an owner may carry its own fields to its hooks (who asked, a flow it loaded). */
  request: R;
  from: string;
  to: string;
  verdict: MoveVerdict;
  at: Date;
  history: HistoryRow;
}

export interface AppliedChange<S extends StatusSubject, R extends StatusChangeRequest = StatusChangeRequest> extends PlannedChange<S, R> {
  /** The subject as `apply` left it (new status, version, …). */
  updated: S;
}

/**
 * What a status machine's owner supplies. Everything else (the check, the history row, the outbox append)
 * is the kit's.
 */
export interface StatusChangeHooks<S extends StatusSubject, R extends StatusChangeRequest = StatusChangeRequest> {
  /** Rules beyond the flow's own (evidence belongs to the subject, sub-task gates). Throw a DomainError to refuse. */
  guard?(tx: Db, ctx: RequestContext, change: PlannedChange<S, R>): Promise<void>;
  /**
   * Writes the subjects' rows (status, status_changed_at, version, the caller's own columns) and runs
   * `history` once, as a CTE of its own statement (one round trip while the row is locked) or alone.
   * Answers the updated subjects in the order of `changes`.
   */
  apply(tx: Db, ctx: RequestContext, changes: readonly PlannedChange<S, R>[], history: Sql): Promise<S[]>;
  /** The domain events that announce one applied change. */
  events?(change: AppliedChange<S, R>, ctx: RequestContext): NewDomainEvent[];
}

export interface StatusChangeDeps {
  outbox: Outbox;
  clock: Clock;
  history: StatusHistoryWriter;
}

/**
 * The one way a status changes, for contract events, tickets, appointments and JTDs alike:
 * check the move against the tenant's machine (strict: refused with TRANSITION_NOT_ALLOWED /
 * REASON_REQUIRED / EVIDENCE_REQUIRED; soft: made and flagged), run the owner's guard, apply it through the
 * owner's hook, write one history row per move, append the owner's events, all in the caller's transaction.
 *
 * ```ts
 * const kit = new StatusChangeKit<TicketRow>({ outbox, clock, history: new SqlStatusHistory(TICKET_HISTORY) }, {
 *   guard: async (tx, ctx, c) => { ...throw DomainError.rule(...) },
 *   apply: async (tx, ctx, changes, history) => tickets.setStatus(tx, changes, history),
 *   events: (c) => [{ type: 'SERVICE_TICKET_STATUS_CHANGED', aggregateId: c.subject.id, aggregateVersion: c.updated.version, payload: { ... } }],
 * });
 * const moved = await kit.change(tx, ctx, machine, ticket, { to: 'in_progress' });
 * ```
 */
export class StatusChangeKit<S extends StatusSubject, R extends StatusChangeRequest = StatusChangeRequest> {
  constructor(
    private readonly deps: StatusChangeDeps,
    private readonly hooks: StatusChangeHooks<S, R>,
  ) {}

  /** Checks one move and prepares its history row; throws what a strict machine refuses. Writes nothing. */
  plan(ctx: RequestContext, machine: StatusMachine, subject: S, request: R, at: Date = this.deps.clock.now()): PlannedChange<S, R> {
    const from = subject.status;
    const verdict = request.force
      ? {
          isValidTransition: machine.flow.transitions.some((t) => t.from === from && t.to === request.to),
          transition: machine.flow.transitions.find((t) => t.from === from && t.to === request.to),
        }
      : machine.check({ from, to: request.to, reason: request.reason, evidenceIds: request.evidenceIds ? [...request.evidenceIds] : null });
    const actor = request.actor ?? ctx.actor;
    return {
      subject,
      machine,
      request,
      from,
      to: request.to,
      verdict,
      at,
      history: {
        tenantId: subject.tenantId,
        subjectId: subject.id,
        from,
        to: request.to,
        actor,
        source: sourceOf(actor),
        reason: request.reason ?? null,
        secondsInPrevious: secondsSince(subject.statusChangedAt, at),
        isValidTransition: verdict.isValidTransition,
        at,
        extra: request.historyExtra,
      },
    };
  }

  /** One move; answers the subject as it now is. The caller holds the subject's row lock. */
  async change(tx: Db, ctx: RequestContext, machine: StatusMachine, subject: S, request: R): Promise<AppliedChange<S, R>> {
    return (await this.changeMany(tx, ctx, [{ machine, subject, request }]))[0];
  }

  /**
   * Several moves in one go (one `apply`, one history INSERT, one outbox append): all are checked and
   * guarded before anything is written, so one refused move leaves every subject as it was.
   */
  async changeMany(tx: Db, ctx: RequestContext, moves: ReadonlyArray<{ machine: StatusMachine; subject: S; request: R }>): Promise<AppliedChange<S, R>[]> {
    if (moves.length === 0) return [];
    const at = this.deps.clock.now();
    const planned = moves.map((m) => this.plan(ctx, m.machine, m.subject, m.request, at));
    if (this.hooks.guard) for (const p of planned) if (!p.request.force) await this.hooks.guard(tx, ctx, p);
    const rows = planned.map((p) => p.history);
    const history = this.deps.history.insertOf(rows);
    const updated = await this.hooks.apply(tx, ctx, planned, history);
    if (updated.length !== planned.length) throw new Error(`apply answered ${updated.length} subject(s) for ${planned.length} move(s)`);
    if (!history.used) await this.deps.history.write(tx, rows);
    const applied = planned.map((p, i) => ({ ...p, updated: updated[i] }));
    if (this.hooks.events) {
      const batches = new Map<RequestContext, NewDomainEvent[]>();
      for (const a of applied) {
        const eventCtx = a.request.eventContext ?? ctx;
        const events = this.hooks.events(a, eventCtx);
        if (events.length > 0) (batches.get(eventCtx) ?? batches.set(eventCtx, []).get(eventCtx)!).push(...events);
      }
      // One statement for every context's events (the dispatcher records a batch of jobs, each under its own).
      if (batches.size > 0)
        await this.deps.outbox.appendGroups(
          tx,
          [...batches].map(([eventCtx, events]) => ({ ctx: eventCtx, events })),
        );
    }
    return applied;
  }
}
