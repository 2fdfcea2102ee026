import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { AppointmentRef, ListAppointmentsQuery } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentDetailView, AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { Page } from '@app/shared/contract/page';
import { limitOf, pageOf, positionOf } from '../../common/page';
import { AppointmentEntity, AppointmentRescheduleEntity, StaffAssignmentEntity } from '../appointment.entities';
import { AppointmentRepository, RELEASED_ASSIGNMENT_STATUSES } from '../appointment.repository';
import { toAppointmentDetailView, toAppointmentView } from '../appointment.view';

/** Calendar queries: appointments overlapping [from, to), by technician and status, in start order. */
@Injectable()
export class QueryAppointmentsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
  ) {}

  async list(ctx: RequestContext, dto: ListAppointmentsQuery): Promise<Page<AppointmentView>> {
    if (dto.from && dto.to && new Date(dto.to) <= new Date(dto.from)) throw DomainError.validation({ to: ['to must be after from'] });
    const limit = limitOf(dto);
    const after = positionOf(dto.cursor);
    const q = this.dataSource.getRepository(AppointmentEntity).createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId: ctx.tenantId });
    if (dto.from) q.andWhere('a.ends_at > :from', { from: new Date(dto.from) });
    if (dto.to) q.andWhere('a.starts_at < :to', { to: new Date(dto.to) });
    if (dto.status) q.andWhere('a.status = :status', { status: dto.status });
    if (dto.contractId) q.andWhere('a.contract_id = :contractId', { contractId: dto.contractId });
    if (dto.ticketId) q.andWhere('a.ticket_id = :ticketId', { ticketId: dto.ticketId });
    if (dto.assigneeId) {
      q.andWhere(
        `EXISTS (SELECT 1 FROM staff_assignments s WHERE s.appointment_id = a.id AND s.user_id = :assigneeId AND s.status NOT IN (:...released))`,
        { assigneeId: dto.assigneeId, released: RELEASED_ASSIGNMENT_STATUSES },
      );
    }
    if (after) q.andWhere('(a.starts_at, a.id) > (:at, :id)', after);
    const rows = await q.orderBy('a.starts_at', 'ASC').addOrderBy('a.id', 'ASC').limit(limit + 1).getMany();
    const shown = rows.slice(0, limit);
    const assignments = shown.length
      ? await this.dataSource.getRepository(StaffAssignmentEntity).find({ where: { appointmentId: In(shown.map((a) => a.id)) }, order: { offeredAt: 'ASC' } })
      : [];
    return pageOf(rows, limit, (a) => ({ at: a.startsAt, id: a.id }), (a) => toAppointmentView(a, assignments.filter((s) => s.appointmentId === a.id)));
  }

  async get(ctx: RequestContext, dto: AppointmentRef): Promise<AppointmentDetailView> {
    const tx = this.dataSource.manager;
    const a = await this.appointments.findOrFail(tx, ctx.tenantId, dto.id);
    const reschedules = await tx.find(AppointmentRescheduleEntity, { where: { tenantId: ctx.tenantId, appointmentId: a.id }, order: { at: 'ASC' } });
    return toAppointmentDetailView(a, await this.appointments.assignments(tx, a.id), reschedules);
  }
}
