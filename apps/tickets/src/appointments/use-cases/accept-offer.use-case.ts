import { Injectable } from '@nestjs/common';
import { AcceptAssignmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketStatusMover } from '../../tickets/ticket-status-mover';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { assertActsFor, FieldStep } from '../field-step';
import { StaffAssignmentRepository } from '../staff-assignment.repository';
import { isOfferExpired } from '../staff-offers';
import { TechnicianCalendar } from '../technician-calendar';

/**
 * A technician accepts an offer before its deadline (their calendar is checked again: other offers may
 * have been accepted meanwhile). Accepting schedules the appointment, adds the technician to the ticket's
 * assignees and assigns the ticket, where the flows allow those moves.
 */
@Injectable()
export class AcceptOfferUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly step: FieldStep,
    private readonly calendar: TechnicianCalendar,
    private readonly assignments: StaffAssignmentRepository,
    private readonly tickets: TicketRepository,
    private readonly appointmentMover: AppointmentStatusMover,
    private readonly ticketMover: TicketStatusMover,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: AcceptAssignmentDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    await this.expireIfLate(ctx, dto.id, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'accept', from: ['offered'] }, async (s) => {
      const { appointment, assignment } = s;
      await this.calendar.assertFree(s.tx, ctx.tenantId, [dto.userId], {
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        exceptAppointmentId: appointment.id,
        now: s.now,
      });
      const before = (await this.assignments.live(s.tx, ctx.tenantId, appointment.id)).filter((a) => a.status !== 'offered' && a.id !== assignment.id);
      s.emit('STAFF_ASSIGNMENT_ACCEPTED', { ...s.base, acceptedAt: s.now.toISOString(), notes: dto.notes });
      await this.outbox.append(s.tx, ctx, [
        {
          type: 'APPOINTMENT_ASSIGNED',
          aggregateId: appointment.id,
          payload: {
            appointmentId: appointment.id,
            contractId: appointment.contractId,
            ticketId: appointment.ticketId ?? undefined,
            previousAssigneeId: before.length === 1 ? before[0].userId : undefined,
            newAssigneeId: dto.userId,
            newAssigneeType: 'user',
            assigneeIds: [...before.map((a) => a.userId), dto.userId],
            assignedAt: s.now.toISOString(),
          },
        },
      ]);
      s.appointment = await this.appointmentMover.advance(s.tx, ctx, appointment, 'scheduled');
      let ticket = await s.ticket();
      if (ticket) {
        if (!ticket.assignees.some((a) => a.userId === dto.userId)) {
          const assignees = [...ticket.assignees, { userId: dto.userId, name: assignment.userName ?? undefined, role: assignment.role }];
          ticket = { ...ticket, assignees, version: await this.tickets.touch(s.tx, ctx.tenantId, ticket.id, s.now, { assignees }), updatedAt: s.now };
        }
        await this.ticketMover.advance(s.tx, ctx, ticket, 'assigned');
      }
      return { status: 'accepted', respondedAt: s.now, notes: dto.notes ?? null };
    });
  }

  /** An offer answered after its deadline is marked expired (committed) and the answer refused. */
  private async expireIfLate(ctx: RequestContext, appointmentId: string, userId: string): Promise<void> {
    const now = this.clock.now();
    const expired = await this.db.run(async (tx) => {
      const offer = await this.assignments.lockLive(tx, ctx.tenantId, appointmentId, userId);
      if (!offer || !isOfferExpired(offer, now)) return null;
      await this.assignments.saveStep(tx, offer, { status: 'expired' }, now);
      return offer.responseDeadline;
    });
    if (expired) throw DomainError.rule(`the offer expired at ${expired.toISOString()}`, { reason: 'OFFER_EXPIRED' });
  }
}
