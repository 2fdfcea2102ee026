import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/shared/time/clock';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { AcceptAssignmentDto, DeclineAssignmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { ServiceTicketEntity } from '../../tickets/ticket.entities';
import { TicketStatusService } from '../../tickets/ticket-status.service';
import { AppointmentStatusService } from '../appointment-status.service';
import { AppointmentRepository } from '../appointment.repository';
import { assertActsFor, FieldStep } from '../field-step';
import { TechnicianCalendar } from '../technician-calendar';

/**
 * A technician accepts an offer (their calendar is checked again: other offers may have been accepted
 * meanwhile) or declines it. Accepting schedules the appointment and assigns the ticket when the flows allow.
 */
@Injectable()
export class RespondToOfferUseCase {
  constructor(
    private readonly step: FieldStep,
    private readonly calendar: TechnicianCalendar,
    private readonly appointments: AppointmentRepository,
    private readonly appointmentStatus: AppointmentStatusService,
    private readonly ticketStatus: TicketStatusService,
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async accept(ctx: RequestContext, dto: AcceptAssignmentDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    await this.expireIfLate(ctx, dto.id, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'accept', from: ['offered'] }, async (s) => {
      await this.calendar.assertFree(s.tx, ctx.tenantId, [dto.userId], { startsAt: s.appointment.startsAt, endsAt: s.appointment.endsAt, exceptAppointmentId: s.appointment.id, now: s.now });
      const before = (await this.appointments.liveAssignments(s.tx, s.appointment.id)).filter((a) => a.status !== 'offered' && a.id !== s.assignment.id);
      s.assignment.status = 'accepted';
      s.assignment.respondedAt = s.now;
      s.assignment.notes = dto.notes ?? null;
      s.emit('STAFF_ASSIGNMENT_ACCEPTED', { ...s.base, acceptedAt: s.now.toISOString(), notes: dto.notes });
      await this.outbox.append(s.tx, ctx, [
        {
          type: 'APPOINTMENT_ASSIGNED',
          aggregateId: s.appointment.id,
          payload: {
            appointmentId: s.appointment.id,
            contractId: s.appointment.contractId,
            ticketId: s.appointment.ticketId ?? undefined,
            previousAssigneeId: before.length === 1 ? before[0].userId : undefined,
            newAssigneeId: dto.userId,
            newAssigneeType: 'user',
            assigneeIds: [...before.map((a) => a.userId), dto.userId],
            assignedAt: s.now.toISOString(),
          },
        },
      ]);
      await this.appointmentStatus.advanceIfAllowed(s.tx, ctx, s.appointment, 'scheduled', s.now);
      const ticket = await s.ticket();
      if (ticket) {
        if (!ticket.assignees.some((a) => a.userId === dto.userId)) {
          ticket.assignees = [...ticket.assignees, { userId: dto.userId, name: s.assignment.userName ?? undefined, role: s.assignment.role }];
          ticket.version += 1;
          ticket.updatedAt = s.now;
          await s.tx.save(ServiceTicketEntity, ticket);
        }
        await this.ticketStatus.advanceIfAllowed(s.tx, ctx, ticket, 'assigned', s.now);
      }
    });
  }

  async decline(ctx: RequestContext, dto: DeclineAssignmentDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'decline', from: ['offered', 'accepted'] }, async (s) => {
      s.assignment.status = 'declined';
      s.assignment.respondedAt = s.now;
      s.assignment.declineReason = dto.reason;
      s.assignment.isAvailableForFuture = dto.isAvailableForFuture;
      s.emit('STAFF_ASSIGNMENT_REJECTED', { ...s.base, rejectedAt: s.now.toISOString(), reason: dto.reason, isAvailableForFuture: dto.isAvailableForFuture });
    });
  }

  /** An offer answered after its deadline is marked expired (committed) and the answer refused. */
  private async expireIfLate(ctx: RequestContext, appointmentId: string, userId: string): Promise<void> {
    const now = this.clock.now();
    const rows: Array<{ response_deadline: Date }> = await this.dataSource.query(
      `UPDATE staff_assignments SET status = 'expired', version = version + 1, updated_at = $4
        WHERE tenant_id = $1 AND appointment_id = $2 AND user_id = $3 AND status = 'offered' AND response_deadline < $4
        RETURNING response_deadline`,
      [ctx.tenantId, appointmentId, userId, now],
    );
    const expired = Array.isArray(rows[0]) ? (rows[0] as typeof rows) : rows;
    if (expired.length > 0) {
      throw DomainError.rule(`the offer expired at ${new Date(expired[0].response_deadline).toISOString()}`, { reason: 'OFFER_EXPIRED' });
    }
  }
}
