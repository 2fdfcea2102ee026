import { Injectable } from '@nestjs/common';
import { sourceOf } from '@app/shared/context/actor';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db, Sql } from '@app/shared/db/sql';
import { DomainError } from '@app/shared/errors/domain-error';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { AppliedChange, PlannedChange, StatusChangeKit, StatusChangeRequest } from '@app/shared/status-machine/status-change';
import { StatusHistoryWriter } from '@app/shared/status-machine/status-history';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { Clock } from '@app/shared/time/clock';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { ContractRow, ReadModelRepository } from '../read-model/read-model.repository';
import { isCancelledStatus, isClosedStatus, isDoneStatus, TICKET_HISTORY_EXTRA, TicketFlows } from '../settings/ticket-flows';
import { TicketRepository, TicketRow } from './ticket.repository';

/** Evidence that counts for completion, per linked event (ticket-level evidence counts for each). */
export interface EventEvidence {
  eventId: string;
  evidenceIds: string[];
}

/** A move of a ticket as its hooks see it: the events it groups, and what completing it announces. */
interface TicketMoveRequest extends StatusChangeRequest {
  eventIds: string[];
  completion?: { evidence: EventEvidence[]; contract: ContractRow | null };
}

/**
 * The one place a ticket changes status, whether a person asks for it or a field step implies it (accept →
 * assigned, check-in → in_progress, evidence → evidence_uploaded): the shared status kit checks the move
 * against the tenant's strict flow (reason; evidence recorded on the ticket where the flow asks for it),
 * writes the history row and appends the events; this class supplies the hooks: reopening only while no
 * other open ticket holds the events, the row update with the timestamps and event links kept in step,
 * and SERVICE_TICKET_STATUS_CHANGED / _COMPLETED / _CANCELLED. The caller holds the ticket's row lock.
 */
@Injectable()
export class TicketStatusMover {
  private readonly kit: StatusChangeKit<TicketRow, TicketMoveRequest>;

  constructor(
    private readonly flows: TicketFlows,
    private readonly tickets: TicketRepository,
    private readonly evidence: EvidenceRepository,
    private readonly readModel: ReadModelRepository,
    outbox: Outbox,
    clock: Clock,
    private readonly history: StatusHistoryWriter,
  ) {
    this.kit = new StatusChangeKit<TicketRow, TicketMoveRequest>(
      { outbox, clock, history },
      {
        guard: (tx, ctx, change) => this.guard(tx, ctx, change),
        apply: (tx, ctx, changes, history) => this.apply(tx, ctx, changes, history),
        events: (change) => ticketEvents(change),
      },
    );
  }

  async machine(db: Db, tenantId: string): Promise<StatusMachine> {
    return (await this.flows.machines(db, tenantId)).ticket;
  }

  /** The first history row of a new ticket (from nothing to its initial status). */
  recordCreated(tx: Db, ctx: RequestContext, ticket: TicketRow): Promise<void> {
    return this.history.write(tx, [
      {
        tenantId: ticket.tenantId,
        subjectId: ticket.id,
        from: null,
        to: ticket.status,
        actor: ctx.actor,
        source: sourceOf(ctx.actor),
        reason: null,
        secondsInPrevious: null,
        isValidTransition: true,
        at: ticket.statusChangedAt,
        extra: TICKET_HISTORY_EXTRA,
      },
    ]);
  }

  /** A move a person asks for: refused with the flow's reason when not allowed. */
  async move(tx: Db, ctx: RequestContext, ticket: TicketRow, to: string, reason?: string | null): Promise<TicketRow> {
    const machine = await this.machine(tx, ctx.tenantId);
    const eventIds = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
    const evidence = evidencePerEvent(eventIds, await this.evidence.counting(tx, ctx.tenantId, ticket.id));
    const evidenceIds = [...new Set(evidence.flatMap((e) => e.evidenceIds))];
    return this.change(tx, ctx, machine, ticket, { to, reason, evidenceIds, eventIds }, evidence);
  }

  /**
   * A move a field step implies: taken only when the tenant's flow defines it from the current status
   * without a reason or evidence. Answers the ticket as it now is (unchanged when the move is not taken).
   */
  async advance(tx: Db, ctx: RequestContext, ticket: TicketRow, to: string): Promise<TicketRow> {
    if (ticket.status === to) return ticket;
    const machine = await this.machine(tx, ctx.tenantId);
    const t = machine.allowedFrom(ticket.status).find((m) => m.to === to);
    if (!t || t.requiresReason || t.requiresEvidence) return ticket;
    const eventIds = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
    return this.change(tx, ctx, machine, ticket, { to, eventIds });
  }

  private async change(
    tx: Db,
    ctx: RequestContext,
    machine: StatusMachine,
    ticket: TicketRow,
    request: TicketMoveRequest,
    evidence?: EventEvidence[],
  ): Promise<TicketRow> {
    if (isDoneStatus(machine, request.to)) {
      request.completion = {
        evidence: evidence ?? evidencePerEvent(request.eventIds, await this.evidence.counting(tx, ctx.tenantId, ticket.id)),
        contract: await this.readModel.findContract(tx, ctx.tenantId, ticket.contractId),
      };
    }
    return (await this.kit.change(tx, ctx, machine, ticket, { ...request, historyExtra: TICKET_HISTORY_EXTRA })).updated;
  }

  /** A closed ticket reopens only while none of its events sits on another open ticket. */
  private async guard(tx: Db, ctx: RequestContext, c: PlannedChange<TicketRow, TicketMoveRequest>): Promise<void> {
    if (!isClosedStatus(c.machine, c.from) || isClosedStatus(c.machine, c.to)) return;
    const taken = await this.tickets.openTicketsHolding(tx, ctx.tenantId, c.request.eventIds, c.subject.id);
    if (taken.length > 0) {
      throw DomainError.rule(`the ticket cannot reopen: its events are on open ticket(s) ${[...new Set(taken.map((t) => t.ticketNumber))].join(', ')}`, {
        reason: 'ALREADY_ON_OPEN_TICKET',
        eventIds: taken.map((t) => t.eventId),
      });
    }
  }

  private async apply(tx: Db, ctx: RequestContext, changes: readonly PlannedChange<TicketRow, TicketMoveRequest>[], history: Sql): Promise<TicketRow[]> {
    const updated: TicketRow[] = [];
    for (const [i, c] of changes.entries()) {
      const wasClosed = isClosedStatus(c.machine, c.from);
      const nowClosed = isClosedStatus(c.machine, c.to);
      if (wasClosed !== nowClosed) await this.tickets.setLinksOpen(tx, ctx.tenantId, c.subject.id, !nowClosed);
      const next = { ...c.subject, ...timestampsAfter(c.machine, c.subject, c.to, c.at), status: c.to, statusChangedAt: c.at, updatedAt: c.at };
      next.version = await this.tickets.setStatus(tx, { ...next, at: c.at }, i === 0 ? history : undefined);
      updated.push(next);
    }
    return updated;
  }
}

/** When a ticket started, completed or was cancelled, after moving `ticket` to `to` at `at`. */
export function timestampsAfter(machine: StatusMachine, ticket: TicketRow, to: string, at: Date): Pick<TicketRow, 'startedAt' | 'completedAt' | 'cancelledAt'> {
  const reopened = isClosedStatus(machine, ticket.status) && !isClosedStatus(machine, to);
  return {
    startedAt: to === 'in_progress' && !ticket.startedAt ? at : ticket.startedAt,
    completedAt: isDoneStatus(machine, to) ? at : reopened ? null : ticket.completedAt,
    cancelledAt: isCancelledStatus(machine, to) ? at : reopened ? null : ticket.cancelledAt,
  };
}

/** Evidence per linked event: an item recorded for an event counts for it, ticket-level evidence for every one. */
export function evidencePerEvent(eventIds: readonly string[], evidence: ReadonlyArray<{ id: string; eventId: string | null }>): EventEvidence[] {
  return eventIds.map((eventId) => ({ eventId, evidenceIds: evidence.filter((e) => e.eventId === null || e.eventId === eventId).map((e) => e.id) }));
}

function ticketEvents(c: AppliedChange<TicketRow, TicketMoveRequest>): NewDomainEvent[] {
  const t = c.updated;
  const at = c.at.toISOString();
  const base = { ticketId: t.id, ticketNumber: t.ticketNumber, contractId: t.contractId, eventIds: c.request.eventIds };
  const event = (type: string, payload: Record<string, unknown>) => ({
    type,
    aggregateId: t.id,
    aggregateVersion: t.version,
    payload: { ...base, ...payload },
  });
  const events = [event('SERVICE_TICKET_STATUS_CHANGED', { previousStatus: c.from, newStatus: c.to, reason: c.request.reason ?? undefined, changedAt: at })];
  const completion = c.request.completion;
  if (isDoneStatus(c.machine, c.to) && completion) {
    const contract = completion.contract;
    events.push(
      event('SERVICE_TICKET_COMPLETED', {
        completedAt: at,
        evidence: completion.evidence,
        customer: contract?.customer,
        contractNumber: contract?.contractNumber,
        contractTitle: contract?.title,
      }),
    );
  } else if (isCancelledStatus(c.machine, c.to)) {
    events.push(event('SERVICE_TICKET_CANCELLED', { reason: c.request.reason ?? 'cancelled', cancelledAt: at }));
  }
  return events;
}
