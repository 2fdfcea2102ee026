import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { RescheduleAppointmentDto } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentDetailView } from '@app/shared/api/tickets/appointments.views';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { AppointmentEntity, AppointmentRescheduleEntity } from '../appointment.entities';
import { AppointmentStatusService } from '../appointment-status.service';
import { AppointmentRepository, HOLDING_ASSIGNMENT_STATUSES } from '../appointment.repository';
import { toAppointmentDetailView } from '../appointment.view';
import { TechnicianCalendar } from '../technician-calendar';
import { assertSlot } from './create-appointment.use-case';

/**
 * Moves a visit to a new slot. The old slot is kept as a history row; everyone still on the visit must be
 * free at the new time; the status becomes `rescheduled` when the flow allows that move from here.
 */
@Injectable()
export class RescheduleAppointmentUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
    private readonly calendar: TechnicianCalendar,
    private readonly status: AppointmentStatusService,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: RescheduleAppointmentDto): Promise<AppointmentDetailView> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    assertSlot(startsAt, endsAt);
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const a = await this.appointments.lockOrFail(tx, ctx.tenantId, dto.id);
      if (dto.version !== undefined && a.version !== dto.version) throw DomainError.versionConflict(dto.version, a.version);
      if (a.status !== 'rescheduled') {
        // Checks the flow (e.g. a completed visit cannot move) before anything is written.
        const machine = await this.status.machine(tx, ctx.tenantId);
        machine.check({ from: a.status, to: 'rescheduled', reason: dto.reason });
      }
      const holding = (await this.appointments.liveAssignments(tx, a.id)).filter((s) => HOLDING_ASSIGNMENT_STATUSES.includes(s.status));
      await this.calendar.assertFree(tx, ctx.tenantId, holding.map((s) => s.userId), { startsAt, endsAt, exceptAppointmentId: a.id, now });

      const previous = { startsAt: a.startsAt, endsAt: a.endsAt };
      await tx.insert(AppointmentRescheduleEntity, {
        id: randomUUID(),
        tenantId: ctx.tenantId,
        appointmentId: a.id,
        previousStartsAt: previous.startsAt,
        previousEndsAt: previous.endsAt,
        newStartsAt: startsAt,
        newEndsAt: endsAt,
        reason: dto.reason,
        actor: { type: ctx.actor.type, id: ctx.actor.id, name: ctx.actor.name },
        at: now,
      });
      a.startsAt = startsAt;
      a.endsAt = endsAt;
      if (a.status !== 'rescheduled') {
        await this.status.move(tx, ctx, a, { to: 'rescheduled', reason: dto.reason, at: now });
      } else {
        a.version += 1;
        a.updatedAt = now;
        await tx.save(AppointmentEntity, a);
      }
      const contract = await this.readModel.findContract(tx, ctx.tenantId, a.contractId);
      await this.outbox.append(tx, ctx, [
        {
          type: 'APPOINTMENT_RESCHEDULED',
          aggregateId: a.id,
          aggregateVersion: a.version,
          payload: {
            appointmentId: a.id,
            contractId: a.contractId,
            ticketId: a.ticketId ?? undefined,
            previousStartAt: previous.startsAt.toISOString(),
            previousEndAt: previous.endsAt.toISOString(),
            newStartAt: startsAt.toISOString(),
            newEndAt: endsAt.toISOString(),
            timezone: a.timezone,
            reason: dto.reason,
            rescheduledAt: now.toISOString(),
            customer: contract?.customer,
          },
        },
      ]);
      const reschedules = await tx.find(AppointmentRescheduleEntity, { where: { tenantId: ctx.tenantId, appointmentId: a.id }, order: { at: 'ASC' } });
      return toAppointmentDetailView(a, await this.appointments.assignments(tx, a.id), reschedules);
    });
  }
}
