import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { AddTicketEventsDto, RemoveTicketEventDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { isClosedStatus } from '../../common/status-flows';
import { isUniqueViolation } from '../../common/page';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { ServiceTicketEntity, ServiceTicketEventEntity } from '../ticket.entities';
import { assertGroupable } from '../ticket-grouping';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusService } from '../ticket-status.service';
import { toTicketView } from '../ticket.view';

/** Adds events of the same contract to an open ticket, or takes one off (a ticket keeps at least one). */
@Injectable()
export class ChangeTicketEventsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly readModel: ReadModelRepository,
    private readonly status: TicketStatusService,
    private readonly clock: Clock,
  ) {}

  async add(ctx: RequestContext, dto: AddTicketEventsDto): Promise<TicketView> {
    await this.readModel.caughtUp(ctx.tenantId, null, dto.eventIds);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const ticket = await this.openTicket(tx, ctx, dto.id, dto.version);
        const current = await this.tickets.eventIdsOf(tx, ticket.id);
        const added = dto.eventIds.filter((id) => !current.includes(id));
        const events = await this.readModel.events(tx, ctx.tenantId, added);
        assertGroupable(ticket.contractId, added, events, await this.tickets.openTicketsHolding(tx, ctx.tenantId, added, ticket.id));
        if (added.length > 0) {
          const byId = new Map(events.map((e) => [e.id, e]));
          await tx.insert(
            ServiceTicketEventEntity,
            added.map((eventId) => ({ ticketId: ticket.id, eventId, tenantId: ctx.tenantId, eventType: byId.get(eventId)!.eventType, isOpen: true })),
          );
          await this.touch(tx, ticket);
        }
        return toTicketView(ticket, await this.tickets.eventIdsOf(tx, ticket.id));
      });
    } catch (err) {
      if (isUniqueViolation(err, 'service_ticket_events_open_uq')) {
        throw DomainError.rule('events are already on an open ticket', { reason: 'ALREADY_ON_OPEN_TICKET', eventIds: dto.eventIds });
      }
      throw err;
    }
  }

  async remove(ctx: RequestContext, dto: RemoveTicketEventDto): Promise<TicketView> {
    return this.dataSource.transaction(async (tx) => {
      const ticket = await this.openTicket(tx, ctx, dto.id, dto.version);
      const current = await this.tickets.eventIdsOf(tx, ticket.id);
      if (!current.includes(dto.eventId)) throw DomainError.notFound('event on this ticket', dto.eventId);
      if (current.length === 1) throw DomainError.rule('a ticket keeps at least one event; cancel the ticket instead', { reason: 'LAST_EVENT' });
      await tx.delete(ServiceTicketEventEntity, { ticketId: ticket.id, eventId: dto.eventId });
      await this.touch(tx, ticket);
      return toTicketView(ticket, current.filter((id) => id !== dto.eventId));
    });
  }

  private async openTicket(tx: EntityManager, ctx: RequestContext, id: string, version?: number): Promise<ServiceTicketEntity> {
    const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, id);
    if (version !== undefined && ticket.version !== version) throw DomainError.versionConflict(version, ticket.version);
    const machine = await this.status.machine(tx, ctx.tenantId);
    if (isClosedStatus(machine, ticket.status)) {
      throw DomainError.rule(`ticket ${ticket.ticketNumber} is ${ticket.status}; its events can no longer change`, { reason: 'TICKET_CLOSED' });
    }
    return ticket;
  }

  private async touch(tx: EntityManager, ticket: ServiceTicketEntity) {
    ticket.version += 1;
    ticket.updatedAt = this.clock.now();
    await tx.save(ServiceTicketEntity, ticket);
  }
}
