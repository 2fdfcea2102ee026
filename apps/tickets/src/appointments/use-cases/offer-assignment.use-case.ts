import { Injectable } from '@nestjs/common';
import { OfferAssignmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { Clock } from '@app/shared/time/clock';
import { AppointmentRepository } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';
import { StaffAssignmentRepository } from '../staff-assignment.repository';
import { StaffOffers } from '../staff-offers';

/** Offers a booked visit to one more technician, who answers before `responseDeadline`. */
@Injectable()
export class OfferAssignmentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly offers: StaffOffers,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: OfferAssignmentDto): Promise<AppointmentView> {
    return this.db.run(async (tx) => {
      const appointment = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      await this.offers.offer(tx, ctx, appointment, dto, this.clock.now());
      return toAppointmentView(appointment, await this.assignments.ofAppointment(tx, ctx.tenantId, appointment.id));
    });
  }
}
