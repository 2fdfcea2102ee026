import { Injectable } from '@nestjs/common';
import { RequestContext } from '@app/shared/context/request-context';
import { AssignmentRef, EnRouteDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { assertActsFor, FieldStep } from '../field-step';

/** Dispatch (by the office) and en route (by the technician), before the check-in. */
@Injectable()
export class DispatchTechnicianUseCase {
  constructor(private readonly step: FieldStep) {}

  async dispatch(ctx: RequestContext, dto: AssignmentRef): Promise<AppointmentView> {
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'dispatch', from: ['accepted'] }, async (s) => {
      s.assignment.status = 'dispatched';
      s.assignment.dispatchedAt = s.now;
      s.emit('TECHNICIAN_DISPATCHED', { ...s.base, technicianUserId: dto.userId, dispatchedByUserId: ctx.actor.type === 'user' ? ctx.actor.id : undefined, dispatchedAt: s.now.toISOString() });
    });
  }

  async enRoute(ctx: RequestContext, dto: EnRouteDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'go en route', from: ['accepted', 'dispatched'] }, async (s) => {
      s.assignment.status = 'en_route';
      s.assignment.enRouteAt = s.now;
      s.assignment.eta = dto.eta ? new Date(dto.eta) : null;
      s.emit('TECHNICIAN_EN_ROUTE', { ...s.base, technicianUserId: dto.userId, startedAt: s.now.toISOString(), eta: dto.eta });
    });
  }
}
