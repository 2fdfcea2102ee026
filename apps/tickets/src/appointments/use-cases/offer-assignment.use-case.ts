import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { Clock } from '@app/shared/time/clock';
import { OfferAssignmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { AppointmentRepository } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';
import { StaffOffers } from '../staff-offers';

@Injectable()
export class OfferAssignmentUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
    private readonly offers: StaffOffers,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: OfferAssignmentDto): Promise<AppointmentView> {
    return this.dataSource.transaction(async (tx) => {
      const appointment = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      await this.offers.offer(tx, ctx, appointment, dto, this.clock.now());
      return toAppointmentView(appointment, await this.appointments.assignments(tx, appointment.id));
    });
  }
}
