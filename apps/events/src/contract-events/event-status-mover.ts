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
import { ContractEventRepository, ContractEventRow } from './contract-event.repository';
import { EventEvidenceRepository } from './event-evidence.repository';
import { EventTaskRepository } from './event-task.repository';

export interface MoveOptions {
  reason?: string | null;
  evidenceIds?: string[] | null;
  /** `person`: a user's request (money-driven statuses refused); `system`: scheduler, payments, ticket sync. */
  by: 'person' | 'system';
  flow?: EventFlow;
}

/** A move of a contract event as its hooks see it: who asked for it, and the flow it was checked against. */
interface EventMoveRequest extends StatusChangeRequest {
  by: MoveOptions['by'];
  flow: EventFlow;
}

/**
 * The one place a contract event changes status. The shared status kit checks the move against the
 * tenant's strict flow (reason, evidence present), writes the history row and appends the event; this
 * class supplies the hooks: the rules of contract events (money-driven statuses, evidence that belongs to
 * the event, sub-task gates), the UPDATE of the row (with the history row in the same statement) and
 * CONTRACT_EVENT_STATUS_CHANGED. The caller holds the row lock.
 */
@Injectable()
export class EventStatusMover {
  private readonly kit: StatusChangeKit<ContractEventRow, EventMoveRequest>;

  constructor(
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
    private readonly evidence: EventEvidenceRepository,
    private readonly tasks: EventTaskRepository,
    outbox: Outbox,
    clock: Clock,
    history: StatusHistoryWriter,
  ) {
    this.kit = new StatusChangeKit<ContractEventRow, EventMoveRequest>(
      { outbox, clock, history },
      {
        guard: (tx, ctx, change) => this.guard(tx, ctx, change),
        apply: (tx, ctx, changes, history) => this.apply(tx, ctx, changes, history),
        events: (change) => [statusChanged(change)],
      },
    );
  }

  flowFor(db: Db, tenantId: string, eventType: string): Promise<EventFlow> {
    return this.flows.load(db, tenantId, eventType);
  }

  async move(tx: Db, ctx: RequestContext, event: ContractEventRow, to: string, opts: MoveOptions): Promise<ContractEventRow> {
    const flow = opts.flow ?? (await this.flows.load(tx, ctx.tenantId, event.eventType));
    const request = { to, reason: opts.reason, evidenceIds: opts.evidenceIds, by: opts.by, flow };
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
      changes.map((c) => ({ id: c.subject.id, status: c.to })),
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
