import { Injectable } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { CheckInDto, CheckOutDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { TicketStatusService } from '../../tickets/ticket-status.service';
import { GeoFixValue } from '../appointment.entities';
import { AppointmentStatusService } from '../appointment-status.service';
import { AppointmentRepository } from '../appointment.repository';
import { assertActsFor, FieldStep } from '../field-step';

/**
 * Arrival and departure on site. Check-in starts the visit (appointment and ticket to in_progress when the
 * flows allow); the last technician to check out completes the appointment. Completing the ticket stays a
 * person's decision: it is what makes the events service complete the contract events.
 */
@Injectable()
export class CheckInOutUseCase {
  constructor(
    private readonly step: FieldStep,
    private readonly appointments: AppointmentRepository,
    private readonly appointmentStatus: AppointmentStatusService,
    private readonly ticketStatus: TicketStatusService,
  ) {}

  async checkIn(ctx: RequestContext, dto: CheckInDto): Promise<AppointmentView> {
    const userId = dto.userId ?? ctx.actor.id;
    assertActsFor(ctx, userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId, step: 'check in', from: ['accepted', 'dispatched', 'en_route'] }, async (s) => {
      const location = siteFix(dto);
      s.assignment.status = 'checked_in';
      s.assignment.checkedInAt = s.now;
      s.assignment.checkInLocation = location;
      s.assignment.verificationMethod = dto.verificationMethod;
      s.emit('STAFF_CHECKED_IN', { ...s.base, checkedInAt: s.now.toISOString(), location, verificationMethod: dto.verificationMethod });
      await this.appointmentStatus.advanceIfAllowed(s.tx, ctx, s.appointment, 'in_progress', s.now);
      const ticket = await s.ticket();
      if (ticket) await this.ticketStatus.advanceIfAllowed(s.tx, ctx, ticket, 'in_progress', s.now);
    });
  }

  async checkOut(ctx: RequestContext, dto: CheckOutDto): Promise<AppointmentView> {
    const userId = dto.userId ?? ctx.actor.id;
    assertActsFor(ctx, userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId, step: 'check out', from: ['checked_in'] }, async (s) => {
      const hours = dto.hoursWorked ?? Math.round(((s.now.getTime() - s.assignment.checkedInAt!.getTime()) / 3_600_000) * 100) / 100;
      const location = siteFix(dto);
      s.assignment.status = 'checked_out';
      s.assignment.checkedOutAt = s.now;
      s.assignment.checkOutLocation = location;
      s.assignment.checkOutVerificationMethod = dto.verificationMethod;
      s.assignment.hoursWorked = hours;
      s.assignment.feedback = dto.feedback ?? null;
      s.emit('STAFF_CHECKED_OUT', { ...s.base, checkedOutAt: s.now.toISOString(), hoursWorked: hours, location, feedback: dto.feedback });
      const stillOnSite = (await this.appointments.liveAssignments(s.tx, s.appointment.id)).some((a) => a.id !== s.assignment.id && a.status === 'checked_in');
      if (!stillOnSite) await this.appointmentStatus.advanceIfAllowed(s.tx, ctx, s.appointment, 'completed', s.now);
    });
  }
}

/** The position in the staff events' shape; `accuracy` stays absent when the device did not report one. */
function siteFix(dto: CheckInDto): GeoFixValue {
  return { latitude: dto.lat, longitude: dto.lng, ...(dto.accuracy !== undefined ? { accuracy: dto.accuracy } : {}) };
}
