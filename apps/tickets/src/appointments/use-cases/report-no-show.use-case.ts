import { Injectable } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { NoShowDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { FieldStep } from '../field-step';

/** A technician who accepted did not turn up: recorded with who reported it and the consequence level. */
@Injectable()
export class ReportNoShowUseCase {
  constructor(private readonly step: FieldStep) {}

  async execute(ctx: RequestContext, dto: NoShowDto): Promise<AppointmentView> {
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'report a no-show', from: ['accepted', 'dispatched', 'en_route'] }, async (s) => {
      s.assignment.status = 'no_show';
      s.assignment.noShowAt = s.now;
      s.assignment.noShowReportedBy = ctx.actor.id;
      s.assignment.consequenceLevel = dto.consequenceLevel;
      s.assignment.notes = dto.notes ?? s.assignment.notes;
      s.emit('STAFF_NO_SHOW', { ...s.base, reportedBy: ctx.actor.id, reportedAt: s.now.toISOString(), consequenceLevel: dto.consequenceLevel, notes: dto.notes });
    });
  }
}
