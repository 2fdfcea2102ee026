import { Injectable } from '@nestjs/common';
import { DeclineAssignmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { assertActsFor, FieldStep } from '../field-step';

/** A technician declines an offer (or a visit they had accepted), with a reason and whether to ask them again. */
@Injectable()
export class DeclineOfferUseCase {
  constructor(private readonly step: FieldStep) {}

  async execute(ctx: RequestContext, dto: DeclineAssignmentDto): Promise<AppointmentView> {
    assertActsFor(ctx, dto.userId);
    return this.step.run(ctx, { appointmentId: dto.id, userId: dto.userId, step: 'decline', from: ['offered', 'accepted'] }, async (s) => {
      s.emit('STAFF_ASSIGNMENT_REJECTED', { ...s.base, rejectedAt: s.now.toISOString(), reason: dto.reason, isAvailableForFuture: dto.isAvailableForFuture });
      return { status: 'declined', respondedAt: s.now, declineReason: dto.reason, isAvailableForFuture: dto.isAvailableForFuture };
    });
  }
}
