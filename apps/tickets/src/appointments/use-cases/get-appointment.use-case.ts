import { Injectable } from '@nestjs/common';
import { AppointmentRef } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentDetailView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { AppointmentRepository } from '../appointment.repository';
import { toAppointmentDetailView } from '../appointment.view';
import { StaffAssignmentRepository } from '../staff-assignment.repository';

/** One appointment with its assignments and the slots it was moved from. */
@Injectable()
export class GetAppointmentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
  ) {}

  async execute(ctx: RequestContext, ref: AppointmentRef): Promise<AppointmentDetailView> {
    const db = this.db.reader;
    const a = await this.appointments.findOrFail(db, ctx.tenantId, ref.id);
    const [assignments, reschedules] = await Promise.all([
      this.assignments.ofAppointment(db, ctx.tenantId, a.id),
      this.appointments.reschedules(db, ctx.tenantId, a.id),
    ]);
    return toAppointmentDetailView(a, assignments, reschedules);
  }
}
