import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { NewDomainEvent } from '@app/shared/messaging/envelope';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { ServiceTicketEntity } from '../tickets/ticket.entities';
import { TicketRepository } from '../tickets/ticket.repository';
import { AppointmentEntity, StaffAssignmentEntity } from './appointment.entities';
import { AppointmentRepository } from './appointment.repository';
import { toAppointmentView } from './appointment.view';

export interface FieldStepScope {
  tx: EntityManager;
  appointment: AppointmentEntity;
  assignment: StaffAssignmentEntity;
  now: Date;
  /** Fields every staff event carries. */
  base: Record<string, unknown>;
  /** The linked ticket, locked, when the appointment has one. */
  ticket: () => Promise<ServiceTicketEntity | null>;
  emit: (type: string, payload: Record<string, unknown>) => void;
}

/**
 * The frame of every step a technician takes on an appointment (accept, decline, dispatch, en route,
 * check-in, check-out, no-show): one transaction, the appointment and the technician's assignment locked,
 * the step allowed only from the listed assignment statuses, the assignment's version bumped, and the
 * staff events appended to the outbox with the same transaction.
 */
@Injectable()
export class FieldStep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
    private readonly tickets: TicketRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async run(
    ctx: RequestContext,
    target: { appointmentId: string; userId: string; step: string; from: string[] },
    body: (scope: FieldStepScope) => Promise<void>,
  ): Promise<AppointmentView> {
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const appointment = await this.appointments.lockOrFail(tx, ctx.tenantId, target.appointmentId);
      const assignment = await this.appointments.liveAssignmentOrFail(tx, ctx.tenantId, appointment.id, target.userId);
      if (!target.from.includes(assignment.status)) {
        throw new DomainError(ErrorCode.TRANSITION_NOT_ALLOWED, `cannot ${target.step}: the assignment is ${assignment.status}`, {
          from: assignment.status,
          step: target.step,
          allowedFrom: target.from,
        });
      }
      const events: NewDomainEvent<any>[] = [];
      let ticket: ServiceTicketEntity | null | undefined;
      await body({
        tx,
        appointment,
        assignment,
        now,
        base: {
          assignmentId: assignment.id,
          appointmentId: appointment.id,
          contractId: appointment.contractId,
          ticketId: appointment.ticketId ?? undefined,
          eventIds: appointment.eventIds,
          userId: assignment.userId,
        },
        ticket: async () => {
          if (ticket === undefined) ticket = appointment.ticketId ? await this.tickets.lockOrFail(tx, ctx.tenantId, appointment.ticketId) : null;
          return ticket;
        },
        emit: (type, payload) => events.push({ type, aggregateId: assignment.id, aggregateVersion: assignment.version + 1, payload }),
      });
      assignment.version += 1;
      assignment.updatedAt = now;
      await tx.save(StaffAssignmentEntity, assignment);
      if (events.length > 0) await this.outbox.append(tx, ctx, events);
      return toAppointmentView(appointment, await this.appointments.assignments(tx, appointment.id));
    });
  }
}

/** Technicians act for themselves; admins and agents may act for them. */
export function assertActsFor(ctx: RequestContext, userId: string): void {
  if (ctx.actor.id === userId) return;
  if (ctx.roles.some((r) => r === 'admin' || r === 'agent')) return;
  throw new DomainError(ErrorCode.FORBIDDEN, 'only the technician, an agent or an admin may do this for this assignment');
}
