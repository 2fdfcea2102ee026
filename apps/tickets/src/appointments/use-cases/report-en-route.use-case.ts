import { Injectable } from '@nestjs/common';
import { EnRouteDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { assertActsFor, FieldStep } from '../field-step';

/** The technician is on the way (after accepting or being dispatched), with an optional ETA. */
@Injectable()
export class ReportEnRouteUseCase {
  constructor(private readonly step: FieldStep) {}

  async execute(ctx: RequestContext, dto: EnRouteDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'go en route', from: ['accepted', 'dispatched'] }, async (s) => {
      s.emit('TECHNICIAN_EN_ROUTE', { ...s.base, technicianUserId: dto.userId, startedAt: s.now.toISOString(), eta: dto.eta });
      return { status: 'en_route', enRouteAt: s.now, eta: dto.eta ? new Date(dto.eta) : null };
    });
  }
}
