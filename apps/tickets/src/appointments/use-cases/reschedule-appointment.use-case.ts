import { Injectable } from '@nestjs/common';
import { RescheduleAppointmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentDetailView } from '@app/shared/api/tickets/appointments.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { AppointmentRepository, AppointmentRow } from '../appointment.repository';
import { assertSlot } from '../appointment-slot';
import { AppointmentStatusMover } from '../appointment-status-mover';
import { toAppointmentDetailView } from '../appointment.view';
import { HOLDING_ASSIGNMENT_STATUSES, StaffAssignmentRepository } from '../staff-assignment.repository';
import { TechnicianCalendar } from '../technician-calendar';

/**
 * Moves a visit to a new slot. The old slot is kept as a history row; everyone still on the visit must be
 * free at the new time; the status becomes `rescheduled` when the flow allows that move from here.
 */
@Injectable()
export class RescheduleAppointmentUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
    private readonly calendar: TechnicianCalendar,
    private readonly mover: AppointmentStatusMover,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: RescheduleAppointmentDto): Promise<AppointmentDetailView> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    assertSlot(startsAt, endsAt);
    return this.db.run(async (tx) => {
      const now = this.clock.now();
      const a = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      if (dto.version !== undefined && a.version !== dto.version) throw DomainError.versionConflict(dto.version, a.version);
      // Checks the flow (e.g. a completed visit cannot move) before anything is written.
      const moves = a.status !== 'rescheduled';
      if (moves) await this.mover.check(tx, ctx, a, 'rescheduled', dto.reason);
      const holding = (await this.assignments.live(tx, ctx.tenantId, a.id)).filter((s) => HOLDING_ASSIGNMENT_STATUSES.includes(s.status));
      await this.calendar.assertFree(
        tx,
        ctx.tenantId,
        holding.map((s) => s.userId),
        { startsAt, endsAt, exceptAppointmentId: a.id, now },
      );

      await this.appointments.addReschedule(tx, ctx.tenantId, a.id, {
        previousStartsAt: a.startsAt,
        previousEndsAt: a.endsAt,
        newStartsAt: startsAt,
        newEndsAt: endsAt,
        reason: dto.reason,
        actor: ctx.actor,
        at: now,
      });
      const version = await this.appointments.setSlot(tx, { tenantId: ctx.tenantId, id: a.id, startsAt, endsAt }, now, !moves);
      let moved: AppointmentRow = { ...a, startsAt, endsAt, version, updatedAt: now };
      if (moves) moved = await this.mover.move(tx, ctx, moved, 'rescheduled', { reason: dto.reason });
      const contract = await this.readModel.findContract(tx, ctx.tenantId, a.contractId);
      await this.outbox.append(tx, ctx, [
        {
          type: 'APPOINTMENT_RESCHEDULED',
          aggregateId: a.id,
          aggregateVersion: moved.version,
          payload: {
            appointmentId: a.id,
            contractId: a.contractId,
            ticketId: a.ticketId ?? undefined,
            previousStartAt: a.startsAt.toISOString(),
            previousEndAt: a.endsAt.toISOString(),
            newStartAt: startsAt.toISOString(),
            newEndAt: endsAt.toISOString(),
            timezone: a.timezone,
            reason: dto.reason,
            rescheduledAt: now.toISOString(),
            customer: contract?.customer,
          },
        },
      ]);
      const [assignments, reschedules] = [
        await this.assignments.ofAppointment(tx, ctx.tenantId, a.id),
        await this.appointments.reschedules(tx, ctx.tenantId, a.id),
      ];
      return toAppointmentDetailView(moved, assignments, reschedules);
    });
  }
}
