import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateTicketDto } from '@app/shared/api/tickets/tickets.dto';
import { DEFAULT_ASSIGNEE_ROLE } from '@app/shared/api/tickets/tickets.vocabulary';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { assertGroupable } from '../ticket-grouping';
import { formatTicketNumber, ticketYear } from '../ticket-number';
import { TicketRepository, TicketRow } from '../ticket.repository';
import { TicketStatusMover } from '../ticket-status-mover';
import { toTicketView } from '../ticket.view';
import { refuseHeldEvents } from './ticket-lookup';

/** Opens a ticket on open service and spare-part events of one active contract, numbered in the tenant's year. */
@Injectable()
export class CreateTicketUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly readModel: ReadModelRepository,
    private readonly tickets: TicketRepository,
    private readonly mover: TicketStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: CreateTicketDto): Promise<TicketView> {
    await this.readModel.caughtUp(this.db.reader, ctx.tenantId, dto.contractId, dto.eventIds);
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const contract = await this.readModel.contractOrFail(tx, ctx.tenantId, dto.contractId);
      if (contract.status !== 'active') {
        throw DomainError.rule(`contract ${contract.contractNumber} is ${contract.status}; only active contracts are executed`, {
          reason: 'CONTRACT_NOT_ACTIVE',
        });
      }
      const events = await this.readModel.events(tx, ctx.tenantId, dto.eventIds);
      assertGroupable(dto.contractId, dto.eventIds, events, await this.tickets.openTicketsHolding(tx, ctx.tenantId, dto.eventIds));

      const machine = await this.mover.machine(tx, ctx.tenantId);
      const year = ticketYear(now, await this.readModel.tenantTimezone(tx, ctx.tenantId));
      const ticket: TicketRow = {
        id: randomUUID(),
        tenantId: ctx.tenantId,
        ticketNumber: formatTicketNumber(year, await this.tickets.nextTicketSequence(tx, ctx.tenantId, year)),
        contractId: dto.contractId,
        status: machine.initial.code,
        statusChangedAt: now,
        assignees: (dto.assignees ?? []).map((a) => ({ userId: a.userId, name: a.name, role: a.role ?? DEFAULT_ASSIGNEE_ROLE })),
        scheduledFor: dto.scheduledFor ? new Date(dto.scheduledFor) : null,
        startedAt: null,
        completedAt: null,
        cancelledAt: null,
        notes: dto.notes ?? null,
        createdBy: ctx.actor.id,
        createdByName: ctx.actor.name,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.tickets.insert(tx, ticket);
      const byId = new Map(events.map((e) => [e.id, e]));
      // Two requests raced for an event: the partial unique index let one through.
      refuseHeldEvents(
        await this.tickets.link(
          tx,
          ctx.tenantId,
          ticket.id,
          dto.eventIds.map((id) => byId.get(id)!),
        ),
      );
      await this.mover.recordCreated(tx, ctx, ticket);
      await this.outbox.append(tx, ctx, [
        {
          type: 'SERVICE_TICKET_CREATED',
          aggregateId: ticket.id,
          aggregateVersion: ticket.version,
          payload: {
            ticketId: ticket.id,
            ticketNumber: ticket.ticketNumber,
            contractId: ticket.contractId,
            eventIds: dto.eventIds,
            status: ticket.status,
            assignees: ticket.assignees,
            scheduledFor: dto.scheduledFor,
          },
        },
      ]);
      return toTicketView(ticket, dto.eventIds);
    });
  }
}
