import { Injectable } from '@nestjs/common';
import { TransitionAppointmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { AppointmentRepository } from '../appointment.repository';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { toAppointmentView } from '../appointment.view';
import { StaffAssignmentRepository } from '../staff-assignment.repository';

/** A person moves an appointment to another status of the tenant's flow (rescheduling has its own route). */
@Injectable()
export class TransitionAppointmentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly mover: AppointmentStatusMover,
  ) {}

  async execute(ctx: RequestContext, dto: TransitionAppointmentDto): Promise<AppointmentView> {
    if (dto.toStatus === 'rescheduled') {
      throw DomainError.validation({ toStatus: ['use POST /appointments/{id}/reschedule with the new slot to reschedule'] });
    }
    return this.db.run(async (tx) => {
      const a = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      if (dto.version !== undefined && a.version !== dto.version) throw DomainError.versionConflict(dto.version, a.version);
      const moved = await this.mover.move(tx, ctx, a, dto.toStatus, { reason: dto.reason, party: dto.party });
      return toAppointmentView(moved, await this.assignments.ofAppointment(tx, ctx.tenantId, a.id));
    });
  }
}
