import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { TransitionAppointmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { AppointmentStatusService } from '../appointment-status.service';
import { AppointmentRepository } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';

@Injectable()
export class TransitionAppointmentUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
    private readonly status: AppointmentStatusService,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: TransitionAppointmentDto): Promise<AppointmentView> {
    if (dto.toStatus === 'rescheduled') {
      throw DomainError.validation({ toStatus: ['use POST /appointments/{id}/reschedule with the new slot to reschedule'] });
    }
    return this.dataSource.transaction(async (tx) => {
      const appointment = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      if (dto.version !== undefined && appointment.version !== dto.version) throw DomainError.versionConflict(dto.version, appointment.version);
      await this.status.move(tx, ctx, appointment, { to: dto.toStatus, reason: dto.reason, party: dto.party, at: this.clock.now() });
      return toAppointmentView(appointment, await this.appointments.assignments(tx, appointment.id));
    });
  }
}
