import { Injectable } from '@nestjs/common';
import { AssignmentRef } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { FieldStep } from '../field-step';

/** The office dispatches a technician who accepted. */
@Injectable()
export class DispatchTechnicianUseCase {
  constructor(private readonly step: FieldStep) {}

  async execute(ctx: RequestContext, dto: AssignmentRef): Promise<AppointmentView> {
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'dispatch', from: ['accepted'] }, async (s) => {
      const dispatchedByUserId = ctx.actor.type === 'user' ? ctx.actor.id : undefined;
      s.emit('TECHNICIAN_DISPATCHED', { ...s.base, technicianUserId: dto.userId, dispatchedByUserId, dispatchedAt: s.now.toISOString() });
      return { status: 'dispatched', dispatchedAt: s.now };
    });
  }
}
