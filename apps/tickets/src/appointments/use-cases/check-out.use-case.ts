import { Injectable } from '@nestjs/common';
import { CheckOutDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { assertActsFor, FieldStep } from '../field-step';
import { siteFix } from '../site-fix';
import { StaffAssignmentRepository } from '../staff-assignment.repository';

/**
 * Departure from site, after checking in: hours worked (given, else from the check-in), and the last
 * technician to leave completes the appointment. Completing the ticket stays a person's decision: it is
 * what makes the events service complete the contract events.
 */
@Injectable()
export class CheckOutUseCase {
  constructor(
    private readonly step: FieldStep,
    private readonly assignments: StaffAssignmentRepository,
    private readonly appointmentMover: AppointmentStatusMover,
  ) {}

  async execute(ctx: RequestContext, dto: CheckOutDto): Promise<AppointmentView> {
    const userId = dto.userId ?? ctx.actor.id;
    assertActsFor(ctx, userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId, step: 'check out', from: ['checked_in'] }, async (s) => {
      const hoursWorked = dto.hoursWorked ?? hoursBetween(s.assignment.checkedInAt!, s.now);
      const location = siteFix(dto);
      s.emit('STAFF_CHECKED_OUT', { ...s.base, checkedOutAt: s.now.toISOString(), hoursWorked, location, feedback: dto.feedback });
      const stillOnSite = (await this.assignments.live(s.tx, ctx.tenantId, s.appointment.id)).some(
        (a) => a.id !== s.assignment.id && a.status === 'checked_in',
      );
      if (!stillOnSite) s.appointment = await this.appointmentMover.advance(s.tx, ctx, s.appointment, 'completed');
      return {
        status: 'checked_out',
        checkedOutAt: s.now,
        checkOutLocation: location,
        checkOutVerificationMethod: dto.verificationMethod,
        hoursWorked,
        feedback: dto.feedback ?? null,
      };
    });
  }
}

/** Hours from check-in to check-out, to the hundredth. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 100) / 100;
}
