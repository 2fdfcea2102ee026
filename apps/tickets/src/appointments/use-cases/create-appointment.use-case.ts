import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreateAppointmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { TICKET_EVENT_TYPES } from '@app/shared/api/tickets/tickets.vocabulary';
import { RequestContext } from '@app/shared/context/request-context';
import type { Db } from '@app/shared/db/sql';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { TicketRepository } from '../../tickets/ticket.repository';
import { AppointmentRepository, AppointmentRow } from '../appointment.repository';
import { assertSlot } from '../appointment-slot';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { toAppointmentView } from '../appointment.view';
import { StaffOffers } from '../staff-offers';

/** Books a visit for a ticket and/or events of one contract, and offers it to the named technicians. */
@Injectable()
export class CreateAppointmentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly readModel: ReadModelRepository,
    private readonly tickets: TicketRepository,
    private readonly appointments: AppointmentRepository,
    private readonly mover: AppointmentStatusMover,
    private readonly offers: StaffOffers,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: CreateAppointmentDto): Promise<AppointmentView> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    assertSlot(startsAt, endsAt, dto.timezone);
    await this.readModel.caughtUp(this.db.reader, ctx.tenantId, dto.contractId, dto.eventIds ?? []);
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const contract = await this.readModel.contractOrFail(tx, ctx.tenantId, dto.contractId);
      if (contract.status !== 'active') {
        throw DomainError.rule(`contract ${contract.contractNumber} is ${contract.status}; only active contracts get visits`, {
          reason: 'CONTRACT_NOT_ACTIVE',
        });
      }
      const eventIds = await this.eventsOfVisit(tx, ctx, dto);
      const appointment: AppointmentRow = {
        id: randomUUID(),
        tenantId: ctx.tenantId,
        contractId: dto.contractId,
        ticketId: dto.ticketId ?? null,
        eventIds,
        startsAt,
        endsAt,
        timezone: dto.timezone,
        location: dto.location ? { address: dto.location.address, lat: dto.location.lat, lng: dto.location.lng } : null,
        locationConfirmedAt: null,
        locationConfirmedBy: null,
        locationDetails: null,
        status: (await this.mover.machine(tx, ctx.tenantId)).initial.code,
        statusChangedAt: now,
        notes: dto.notes ?? null,
        createdBy: ctx.actor.id,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.appointments.insert(tx, appointment);
      await this.mover.recordCreated(tx, ctx, appointment);
      await this.outbox.append(tx, ctx, [
        {
          type: 'APPOINTMENT_CREATED',
          aggregateId: appointment.id,
          aggregateVersion: appointment.version,
          payload: {
            appointmentId: appointment.id,
            contractId: appointment.contractId,
            ticketId: appointment.ticketId ?? undefined,
            eventIds,
            startAt: startsAt.toISOString(),
            endAt: endsAt.toISOString(),
            timezone: dto.timezone,
            assigneeIds: (dto.assignees ?? []).map((x) => x.userId),
            status: appointment.status,
            location: appointment.location ?? undefined,
            customer: contract.customer,
          },
        },
      ]);
      const assignments = [];
      for (const who of dto.assignees ?? []) {
        assignments.push(
          await this.offers.offer(tx, ctx, appointment, { userId: who.userId, name: who.name, role: who.role, responseDeadline: dto.responseDeadline }, now),
        );
      }
      return toAppointmentView(appointment, assignments);
    });
  }

  /** The events the visit is for: those named (on the ticket when there is one), else all of the ticket's. */
  private async eventsOfVisit(tx: Db, ctx: RequestContext, dto: CreateAppointmentDto): Promise<string[]> {
    const eventIds = dto.eventIds ?? [];
    if (dto.ticketId) {
      const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.ticketId);
      if (ticket.cancelledAt || ticket.completedAt) {
        throw DomainError.rule(`ticket ${ticket.ticketNumber} is ${ticket.status}; book visits on an open ticket`, { reason: 'TICKET_CLOSED' });
      }
      if (ticket.contractId !== dto.contractId)
        throw DomainError.rule(`ticket ${ticket.ticketNumber} belongs to another contract`, { reason: 'OTHER_CONTRACT' });
      const onTicket = await this.tickets.eventIdsOf(tx, ctx.tenantId, ticket.id);
      const stray = eventIds.filter((id) => !onTicket.includes(id));
      if (stray.length > 0)
        throw DomainError.rule(`events ${stray.join(', ')} are not on ticket ${ticket.ticketNumber}`, { reason: 'NOT_ON_TICKET', eventIds: stray });
      return eventIds.length > 0 ? eventIds : onTicket;
    }
    if (eventIds.length === 0) throw DomainError.validation({ eventIds: ['an appointment needs a ticketId or at least one event'] });
    const events = await this.readModel.events(tx, ctx.tenantId, eventIds);
    const missing = eventIds.filter((id) => !events.some((e) => e.id === id));
    if (missing.length > 0) throw DomainError.notFound('event', missing.join(', '));
    const other = events.filter((e) => e.contractId !== dto.contractId).map((e) => e.id);
    if (other.length > 0) throw DomainError.rule(`events ${other.join(', ')} belong to another contract`, { reason: 'OTHER_CONTRACT', eventIds: other });
    const billing = events.filter((e) => !(TICKET_EVENT_TYPES as readonly string[]).includes(e.eventType)).map((e) => e.id);
    if (billing.length > 0) throw DomainError.rule(`billing events are not visited: ${billing.join(', ')}`, { reason: 'BILLING_EVENT', eventIds: billing });
    return eventIds;
  }
}
