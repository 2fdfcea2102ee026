import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { StatusMachine } from '@app/shared/status-machine/status-machine';
import { TICKET_MACHINE } from '@app/shared/api/tickets/tickets.vocabulary';
import { isCancelledStatus, isClosedStatus, isDoneStatus, StatusFlows } from '../common/status-flows';
import { recordStatusChange } from '../common/status-history';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { ServiceTicketEntity } from './ticket.entities';
import { TicketRepository } from './ticket.repository';

export interface TicketMove {
  to: string;
  reason?: string | null;
  at: Date;
}

/**
 * The one place a ticket changes status, whether a person asks for it or a field step implies it (accept →
 * assigned, check-in → in_progress, evidence → evidence_uploaded). Checks the tenant's flow, keeps the
 * timestamps, history and event links in step, and emits the ticket's events in the same transaction.
 */
@Injectable()
export class TicketStatusService {
  constructor(
    private readonly flows: StatusFlows,
    private readonly tickets: TicketRepository,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
  ) {}

  machine(tx: EntityManager, tenantId: string): Promise<StatusMachine> {
    return this.flows.machine(tenantId, TICKET_MACHINE, tx);
  }

  /** A move the caller asked for: refused with the flow's reason when not allowed. */
  async move(tx: EntityManager, ctx: RequestContext, ticket: ServiceTicketEntity, move: TicketMove): Promise<ServiceTicketEntity> {
    const machine = await this.machine(tx, ctx.tenantId);
    const eventIds = await this.tickets.eventIdsOf(tx, ticket.id);
    const evidence = await this.tickets.evidencePerEvent(tx, ctx.tenantId, ticket.id, eventIds);
    const evidenceIds = [...new Set(evidence.flatMap((e) => e.evidenceIds))];
    machine.check({ from: ticket.status, to: move.to, reason: move.reason, evidenceIds });
    return this.apply(tx, ctx, machine, ticket, eventIds, move);
  }

  /** A move implied by a field step: taken only when the tenant's flow defines it from the current status. */
  async advanceIfAllowed(tx: EntityManager, ctx: RequestContext, ticket: ServiceTicketEntity, to: string, at: Date): Promise<boolean> {
    if (ticket.status === to) return false;
    const machine = await this.machine(tx, ctx.tenantId);
    const t = machine.allowedFrom(ticket.status).find((m) => m.to === to);
    if (!t || t.requiresReason || t.requiresEvidence) return false;
    const eventIds = await this.tickets.eventIdsOf(tx, ticket.id);
    await this.apply(tx, ctx, machine, ticket, eventIds, { to, at });
    return true;
  }

  private async apply(
    tx: EntityManager,
    ctx: RequestContext,
    machine: StatusMachine,
    ticket: ServiceTicketEntity,
    eventIds: string[],
    move: TicketMove,
  ): Promise<ServiceTicketEntity> {
    const from = ticket.status;
    const wasClosed = isClosedStatus(machine, from);
    const nowClosed = isClosedStatus(machine, move.to);
    if (wasClosed && !nowClosed) {
      const taken = await this.tickets.openTicketsHolding(tx, ctx.tenantId, eventIds, ticket.id);
      if (taken.length > 0) {
        throw DomainError.rule(`the ticket cannot reopen: its events are on open ticket(s) ${[...new Set(taken.map((t) => t.ticketNumber))].join(', ')}`, {
          reason: 'ALREADY_ON_OPEN_TICKET',
          eventIds: taken.map((t) => t.eventId),
        });
      }
      await this.tickets.setLinksOpen(tx, ticket.id, true);
      ticket.completedAt = null;
      ticket.cancelledAt = null;
    }
    if (!wasClosed && nowClosed) await this.tickets.setLinksOpen(tx, ticket.id, false);
    if (move.to === 'in_progress' && !ticket.startedAt) ticket.startedAt = move.at;
    if (isDoneStatus(machine, move.to)) ticket.completedAt = move.at;
    if (isCancelledStatus(machine, move.to)) ticket.cancelledAt = move.at;

    const since = ticket.statusChangedAt;
    ticket.status = move.to;
    ticket.statusChangedAt = move.at;
    ticket.updatedAt = move.at;
    ticket.version += 1;
    await tx.save(ServiceTicketEntity, ticket);
    await recordStatusChange(tx, ctx, { entityType: 'ticket', entityId: ticket.id, from, to: move.to, reason: move.reason, since, at: move.at });

    const base = { ticketId: ticket.id, ticketNumber: ticket.ticketNumber, contractId: ticket.contractId, eventIds };
    const events: NewDomainEvent<any>[] = [
      {
        type: 'SERVICE_TICKET_STATUS_CHANGED',
        aggregateId: ticket.id,
        aggregateVersion: ticket.version,
        payload: { ...base, previousStatus: from, newStatus: move.to, reason: move.reason ?? undefined, changedAt: move.at.toISOString() },
      },
    ];
    if (isDoneStatus(machine, move.to)) {
      const contract = await this.readModel.findContract(tx, ctx.tenantId, ticket.contractId);
      events.push({
        type: 'SERVICE_TICKET_COMPLETED',
        aggregateId: ticket.id,
        aggregateVersion: ticket.version,
        payload: {
          ...base,
          completedAt: move.at.toISOString(),
          evidence: await this.tickets.evidencePerEvent(tx, ctx.tenantId, ticket.id, eventIds),
          customer: contract?.customer,
          contractNumber: contract?.contractNumber,
          contractTitle: contract?.title,
        },
      });
    } else if (isCancelledStatus(machine, move.to)) {
      events.push({
        type: 'SERVICE_TICKET_CANCELLED',
        aggregateId: ticket.id,
        aggregateVersion: ticket.version,
        payload: { ...base, reason: move.reason ?? 'cancelled', cancelledAt: move.at.toISOString() },
      });
    }
    await this.outbox.append(tx, ctx, events);
    return ticket;
  }
}
