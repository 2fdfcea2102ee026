import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { AppointmentIdDto, ListAppointmentsDto } from '@app/shared/api/tickets/appointments.dto';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, Page } from '../../common/page';
import { AppointmentEntity, AppointmentRescheduleEntity, StaffAssignmentEntity } from '../appointment.entities';
import { AppointmentRepository, RELEASED_ASSIGNMENT_STATUSES } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';

/** Calendar queries: appointments overlapping [from, to), by technician and status, in start order. */
@Injectable()
export class QueryAppointmentsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
  ) {}

  async list(ctx: RequestContext, dto: ListAppointmentsDto): Promise<Page<ReturnType<typeof toAppointmentView>>> {
    if (dto.from && dto.to && new Date(dto.to) <= new Date(dto.from)) throw DomainError.validation({ to: ['to must be after from'] });
    const limit = dto.limit ?? DEFAULT_LIMIT;
    const cursor = decodeCursor(dto.cursor);
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
    if (cursor) q.andWhere('(a.starts_at, a.id) > (:at, :id)', { at: cursor.at, id: cursor.id });
    const rows = await q.orderBy('a.starts_at', 'ASC').addOrderBy('a.id', 'ASC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const assignments = page.length
      ? await this.dataSource.getRepository(StaffAssignmentEntity).find({ where: { appointmentId: In(page.map((a) => a.id)) }, order: { offeredAt: 'ASC' } })
      : [];
    return {
      items: page.map((a) => toAppointmentView(a, assignments.filter((s) => s.appointmentId === a.id))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].startsAt, page[page.length - 1].id) : null,
    };
  }

  async get(ctx: RequestContext, dto: AppointmentIdDto) {
    const tx = this.dataSource.manager;
    const a = await this.appointments.findOrFail(tx, ctx.tenantId, dto.id);
    const reschedules = await tx.find(AppointmentRescheduleEntity, { where: { tenantId: ctx.tenantId, appointmentId: a.id }, order: { at: 'ASC' } });
    return toAppointmentView(a, await this.appointments.assignments(tx, a.id), { reschedules });
  }
}
