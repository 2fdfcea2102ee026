import { Injectable } from '@nestjs/common';
import { CheckInDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { TicketStatusMover } from '../../tickets/ticket-status-mover';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { CheckInSite } from '../check-in-site';
import { assertActsFor, FieldStep } from '../field-step';
import { siteFix } from '../site-fix';

/**
 * Arrival on site: starts the visit (appointment and ticket to in_progress, where the flows allow). A check-in
 * beyond the tenant's radius from the visit's location is accepted, flagged on the assignment, and reported
 * (LOCATION_ISSUE_REPORTED, reason CHECK_IN_OUTSIDE_RADIUS).
 */
@Injectable()
export class CheckInUseCase {
  constructor(
    private readonly step: FieldStep,
    private readonly appointmentMover: AppointmentStatusMover,
    private readonly ticketMover: TicketStatusMover,
    private readonly site: CheckInSite,
  ) {}

  async execute(ctx: RequestContext, dto: CheckInDto): Promise<AppointmentView> {
    const userId = dto.userId ?? ctx.actor.id;
    assertActsFor(ctx, userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId, step: 'check in', from: ['accepted', 'dispatched', 'en_route'] }, async (s) => {
      const location = siteFix(dto);
      const judged = await this.site.judge(s.tx, ctx, s.appointment, location, s.now);
      s.emit('STAFF_CHECKED_IN', { ...s.base, checkedInAt: s.now.toISOString(), location, verificationMethod: dto.verificationMethod });
      if (judged.issue) s.emit('LOCATION_ISSUE_REPORTED', judged.issue);
      s.appointment = await this.appointmentMover.advance(s.tx, ctx, s.appointment, 'in_progress');
      const ticket = await s.ticket();
      if (ticket) await this.ticketMover.advance(s.tx, ctx, ticket, 'in_progress');
      return {
        status: 'checked_in',
        checkedInAt: s.now,
        checkInLocation: location,
        verificationMethod: dto.verificationMethod,
        checkInDistanceM: judged.distanceM,
        checkInOutsideRadius: judged.outside,
      };
    });
  }
}
