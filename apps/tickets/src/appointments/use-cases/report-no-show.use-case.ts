import { Injectable } from '@nestjs/common';
import { NoShowDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { FieldStep } from '../field-step';

/** A technician who accepted did not turn up: recorded with who reported it and the consequence level. */
@Injectable()
export class ReportNoShowUseCase {
  constructor(private readonly step: FieldStep) {}

  async execute(ctx: RequestContext, dto: NoShowDto): Promise<AppointmentView> {
    return this.step.run(
      ctx,
      { appointmentId: dto.id, userId: dto.userId, step: 'report a no-show', from: ['accepted', 'dispatched', 'en_route'] },
      async (s) => {
        s.emit('STAFF_NO_SHOW', {
          ...s.base,
          reportedBy: ctx.actor.id,
          reportedAt: s.now.toISOString(),
          consequenceLevel: dto.consequenceLevel,
          notes: dto.notes,
        });
        return {
          status: 'no_show',
          noShowAt: s.now,
          noShowReportedBy: ctx.actor.id,
          consequenceLevel: dto.consequenceLevel,
          notes: dto.notes ?? s.assignment.notes,
        };
      },
    );
  }
}
