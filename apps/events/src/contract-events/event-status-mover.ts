import { Injectable } from '@nestjs/common';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db, Sql } from '@app/shared/db/sql';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { AppliedChange, PlannedChange, StatusChangeKit, StatusChangeRequest } from '@app/shared/status-machine/status-change';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { Clock } from '@app/shared/time/clock';
import { MONEY_DRIVEN_STATUSES } from '../status-config/default-flows';
import { EventFlow } from '../status-config/event-flow';
import { EventFlowService } from '../status-config/event-flow.service';
import { AppointmentViewRepository, VisitPlace, visitLocationRef } from '../appointment-sync/appointment-view.repository';
import { ContractEventRepository, ContractEventRow } from './contract-event.repository';
import { EventAssigneeRepository } from './event-assignee.repository';
import { lifecycleEventOf, LifecycleEventType } from './event-lifecycle';
import { EventEvidenceRepository } from './event-evidence.repository';
import { EventTaskRepository } from './event-task.repository';

export interface MoveOptions {
  reason?: string | null;
  evidenceIds?: string[] | null;
  /** `person`: a user's request (money-driven statuses refused); `system`: scheduler, payments, ticket sync. */
  by: 'person' | 'system';
  flow?: EventFlow;
  /** The place of the event's next visit, read with the locked row (`mayStart`); left out, it is read when a start needs it. */
  nextVisitPlace?: VisitPlace | null;
}

/** A move of a contract event as its hooks see it: who asked for it, and the flow it was checked against. */
interface EventMoveRequest extends StatusChangeRequest {
  by: MoveOptions['by'];
  flow: EventFlow;
  /** What the lifecycle event of this move carries beyond the row (read before the move). */
  lifecycle?: LifecycleFacts;
}

/** Facts a lifecycle event needs that the row does not hold, read only for the moves that emit one. */
interface LifecycleFacts {
  preparationTasks?: Array<{ id: string; description: string; dueDate?: string }>;
  staffAssigned?: boolean;
  venueConfirmed?: boolean;
  location?: { id: string; name: string; address?: string };
}

/**
 * The one place a contract event changes status. The shared status kit checks the move against the
 * tenant's strict flow (reason, evidence present), writes the history row and appends the event; this
 * class supplies the hooks: the rules of contract events (money-driven statuses, evidence that belongs to
 * the event, sub-task gates), the UPDATE of the row (with the history row in the same statement) and
 * CONTRACT_EVENT_STATUS_CHANGED. The caller holds the row lock, and its row's version is the locked one: the UPDATE
 * goes out with the transaction's next statement, and the new version is that one plus one.
 */
@Injectable()
export class EventStatusMover {
  private readonly kit: StatusChangeKit<ContractEventRow, EventMoveRequest>;

  constructor(
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
    private readonly evidence: EventEvidenceRepository,
    private readonly tasks: EventTaskRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly visits: AppointmentViewRepository,
    outbox: Outbox,
    clock: Clock,
    history: StatusHistoryWriter,
  ) {
    this.kit = new StatusChangeKit<ContractEventRow, EventMoveRequest>(
      { outbox, clock, history },
      {
        guard: (tx, ctx, change) => this.guard(tx, ctx, change),
        apply: (tx, ctx, changes, history) => this.apply(tx, ctx, changes, history),
        events: (change) => [statusChanged(change), ...lifecycleEvents(change)],
      },
    );
  }

  flowFor(db: Db, tenantId: string, eventType: string): Promise<EventFlow> {
    return this.flows.load(db, tenantId, eventType);
  }

  /**
   * Whether a move to `to` may start an event of the tenant (into the `in_progress` bucket of one of its
   * flows): EVENT_STARTED carries the next visit's place, which the caller can then read with the row lock
   * instead of in a round trip of its own. From the cached flows, before the row (and its type) is known.
   */
  async mayStart(db: Db, tenantId: string, to: string): Promise<boolean> {
    const flows = await this.flows.loadAll(db, tenantId);
    return Object.values(flows).some((flow) => flow.machine.status(to)?.category === 'in_progress');
  }

  async move(tx: Db, ctx: RequestContext, event: ContractEventRow, to: string, opts: MoveOptions): Promise<ContractEventRow> {
    const flow = opts.flow ?? (await this.flows.load(tx, ctx.tenantId, event.eventType));
    const lifecycle = await this.lifecycleFacts(tx, ctx.tenantId, event, lifecycleEventOf(flow.machine, event.status, to), opts.nextVisitPlace);
    const request = { to, reason: opts.reason, evidenceIds: opts.evidenceIds, by: opts.by, flow, lifecycle };
    return (await this.kit.change(tx, ctx, flow.machine, event, request)).updated;
  }

  /**
   * Closes events whatever their flow says (a contract's cancellation): one UPDATE for all of them, one
   * history INSERT, one append. The history records whether each flow had the move.
   */
  async close(
    tx: Db,
    ctx: RequestContext,
    moves: ReadonlyArray<{ event: ContractEventRow; flow: EventFlow; to: string }>,
    reason: string,
  ): Promise<ContractEventRow[]> {
    const applied = await this.kit.changeMany(
      tx,
      ctx,
      moves.map((m) => ({ machine: m.flow.machine, subject: m.event, request: { to: m.to, reason, force: true, by: 'system' as const, flow: m.flow } })),
    );
    return applied.map((a) => a.updated);
  }

  private async lifecycleFacts(
    tx: Db,
    tenantId: string,
    event: ContractEventRow,
    type: LifecycleEventType | null,
    nextVisitPlace: VisitPlace | null | undefined,
  ): Promise<LifecycleFacts | undefined> {
    switch (type) {
      case 'EVENT_PREPARATION_STARTED': {
        const open = await this.tasks.openOf(tx, tenantId, event.id);
        return { preparationTasks: open.map((t) => ({ id: t.id, description: t.title, ...(t.dueDate ? { dueDate: t.dueDate } : {}) })) };
      }
      case 'EVENT_READY': {
        const people = (await this.assignees.ofEvents(tx, tenantId, [event.id])).get(event.id) ?? [];
        return { staffAssigned: people.some((a) => a.role === 'assignee'), venueConfirmed: await this.visits.hasConfirmedLocation(tx, tenantId, event.id) };
      }
      case 'EVENT_STARTED':
        return { location: visitLocationRef(nextVisitPlace !== undefined ? nextVisitPlace : await this.visits.nextOfEvent(tx, tenantId, event.id)) };
      default:
        return undefined;
    }
  }

  private async apply(
    tx: Db,
    ctx: RequestContext,
    changes: readonly PlannedChange<ContractEventRow, EventMoveRequest>[],
    history: Sql,
  ): Promise<ContractEventRow[]> {
    const at = changes[0].at;
    const versions = await this.events.setStatuses(
      tx,
      ctx.tenantId,
      changes.map((c) => ({ id: c.subject.id, status: c.to, version: c.subject.version })),
      at,
      history,
    );
    return changes.map((c, i) => ({ ...c.subject, status: c.to, statusChangedAt: at, version: versions[i], updatedAt: at }));
  }

  private async guard(tx: Db, ctx: RequestContext, change: PlannedChange<ContractEventRow, EventMoveRequest>): Promise<void> {
    const { subject: event, from, to, verdict } = change;
    const { by, flow } = change.request;
    if (by === 'person' && event.eventType === 'billing' && MONEY_DRIVEN_STATUSES.includes(to) && verdict.transition?.isAutomatic) {
      throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `${to} is set by recording a payment (POST /v1/events/{id}/payments), not by hand`, { from, to });
    }
    const evidenceIds = change.request.evidenceIds ?? [];
    const required = verdict.transition?.requiresEvidence === true;
    // A person's ids come from a request body: each must be this tenant's evidence of this event, even where
    // the move needs none (it travels on in CONTRACT_EVENT_STATUS_CHANGED). Another tenant's id is unknown here.
    if (required || (by === 'person' && evidenceIds.length > 0)) {
      if (by === 'person') {
        const unknown = await this.evidence.unknown(tx, ctx.tenantId, evidenceIds);
        if (unknown.length > 0) throw new DomainError(ErrorCode.NOT_FOUND, `evidence ${unknown.join(', ')} was not found`, { evidenceIds: unknown });
      }
      const missing = await this.evidence.missing(tx, ctx.tenantId, event.id, evidenceIds);
      if (missing.length > 0) {
        throw new DomainError(
          required ? ErrorCode.EVIDENCE_REQUIRED : ErrorCode.BUSINESS_RULE,
          `evidence ${missing.join(', ')} is not recorded on a ticket of this event`,
          {
            from,
            to,
            unknownEvidenceIds: missing,
          },
        );
      }
    }
    if (flow.isTaskGated(from, to)) {
      const open = await this.tasks.openRequired(tx, ctx.tenantId, event.id);
      if (open.length > 0) {
        throw DomainError.rule(`moving to ${to} needs every required sub-task done; ${open.length} still open`, {
          from,
          to,
          openTaskIds: open.map((t) => t.id),
        });
      }
    }
  }
}

function statusChanged(c: AppliedChange<ContractEventRow, EventMoveRequest>) {
  const { subject: e, request, at } = c;
  return {
    type: 'CONTRACT_EVENT_STATUS_CHANGED',
    aggregateId: e.id,
    aggregateVersion: c.updated.version,
    payload: {
      eventId: e.id,
      contractId: e.contractId,
      eventType: e.eventType,
      taskId: e.taskId,
      previousStatus: c.from,
      newStatus: c.to,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.evidenceIds?.length ? { evidenceIds: [...request.evidenceIds] } : {}),
      changedAt: at.toISOString(),
      source: sourceOf(c.history.actor),
      occurredAt: at.toISOString(),
    },
  };
}

/** The seed's lifecycle event of a move, beside CONTRACT_EVENT_STATUS_CHANGED (mapping: event-lifecycle.ts). */
function lifecycleEvents(c: AppliedChange<ContractEventRow, EventMoveRequest>) {
  const { subject: e, request, at } = c;
  const type = lifecycleEventOf(request.flow.machine, c.from, c.to);
  if (!type) return [];
  const who = c.history.actor.id;
  const when = at.toISOString();
  const facts = request.lifecycle ?? {};
  const base = {
    eventId: e.id,
    bookingId: e.contractId,
    contractId: e.contractId,
    taskId: e.taskId,
    eventType: e.eventType,
    previousStatus: c.from,
    newStatus: c.to,
    occurredAt: when,
  };
  const payload = (() => {
    switch (type) {
      case 'EVENT_PREPARATION_STARTED':
        return { ...base, startedBy: who, startedAt: when, preparationTasks: facts.preparationTasks ?? [] };
      case 'EVENT_READY':
        return { ...base, readyBy: who, readyAt: when, staffAssigned: facts.staffAssigned ?? false, venueConfirmed: facts.venueConfirmed ?? false };
      case 'EVENT_STARTED':
        return { ...base, startedBy: who, startedAt: when, ...(facts.location ? { location: facts.location } : {}) };
      case 'EVENT_COMPLETED': {
        const wasInProgress = request.flow.bucketOf(c.from) === 'in_progress';
        return {
          ...base,
          completedBy: who,
          completedAt: when,
          ...(wasInProgress && e.statusChangedAt ? { actualStartTime: new Date(e.statusChangedAt).toISOString() } : {}),
          actualEndTime: when,
          ...(request.evidenceIds?.length ? { evidenceIds: [...request.evidenceIds] } : {}),
        };
      }
      case 'EVENT_CANCELLED':
        return { ...base, cancelledBy: who, cancelledAt: when, reason: request.reason ?? '', notifyClient: false };
    }
  })();
  return [{ type, aggregateId: e.id, aggregateVersion: c.updated.version, payload }];
}
