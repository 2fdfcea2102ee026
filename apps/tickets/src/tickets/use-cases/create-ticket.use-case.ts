import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { CreateTicketDto } from '@app/shared/api/tickets/tickets.dto';
import { DEFAULT_ASSIGNEE_ROLE } from '@app/shared/api/tickets/tickets.vocabulary';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { isUniqueViolation } from '../../common/page';
import { recordStatusChange } from '../../common/status-history';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { ServiceTicketEntity, ServiceTicketEventEntity } from '../ticket.entities';
import { assertGroupable } from '../ticket-grouping';
import { formatTicketNumber, ticketYear } from '../ticket-number';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusService } from '../ticket-status.service';
import { toTicketView } from '../ticket.view';

@Injectable()
export class CreateTicketUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readModel: ReadModelRepository,
    private readonly tickets: TicketRepository,
    private readonly status: TicketStatusService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: CreateTicketDto): Promise<TicketView> {
    await this.readModel.caughtUp(ctx.tenantId, dto.contractId, dto.eventIds);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const now = this.clock.now();
        const contract = await this.readModel.contractOrFail(tx, ctx.tenantId, dto.contractId);
        if (contract.status !== 'active') {
          throw DomainError.rule(`contract ${contract.contractNumber} is ${contract.status}; only active contracts are executed`, { reason: 'CONTRACT_NOT_ACTIVE' });
        }
        const events = await this.readModel.events(tx, ctx.tenantId, dto.eventIds);
        const held = await this.tickets.openTicketsHolding(tx, ctx.tenantId, dto.eventIds);
        assertGroupable(dto.contractId, dto.eventIds, events, held);

        const machine = await this.status.machine(tx, ctx.tenantId);
        const year = ticketYear(now, await this.readModel.tenantTimezone(tx, ctx.tenantId));
        const sequence = await this.tickets.nextTicketSequence(tx, ctx.tenantId, year);
        const ticket = tx.create(ServiceTicketEntity, {
          id: randomUUID(),
          tenantId: ctx.tenantId,
          ticketNumber: formatTicketNumber(year, sequence),
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
        });
        await tx.insert(ServiceTicketEntity, ticket);
        const byId = new Map(events.map((e) => [e.id, e]));
        await tx.insert(
          ServiceTicketEventEntity,
          dto.eventIds.map((eventId) => ({ ticketId: ticket.id, eventId, tenantId: ctx.tenantId, eventType: byId.get(eventId)!.eventType, isOpen: true })),
        );
        await recordStatusChange(tx, ctx, { entityType: 'ticket', entityId: ticket.id, from: null, to: ticket.status, at: now });
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
    } catch (err) {
      // Two requests raced for the same event: the partial unique index let one through.
      if (isUniqueViolation(err, 'service_ticket_events_open_uq')) {
        throw DomainError.rule('events are already on an open ticket', { reason: 'ALREADY_ON_OPEN_TICKET', eventIds: dto.eventIds });
      }
      throw err;
    }
  }
}
