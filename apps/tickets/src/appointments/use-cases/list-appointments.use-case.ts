import { Injectable } from '@nestjs/common';
import { ListAppointmentsQuery } from '@app/shared/api/tickets/appointments.dto';
import { AppointmentView } from '@app/shared/api/tickets/appointments.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { DomainError } from '@app/shared/errors/domain-error';
import { AppointmentRepository } from '../appointment.repository';
import { toAppointmentView } from '../appointment.view';
import { StaffAssignmentRepository } from '../staff-assignment.repository';

/** Calendar queries: appointments overlapping [from, to), by technician and status, in start order. */
@Injectable()
export class ListAppointmentsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly appointments: AppointmentRepository,
    private readonly assignments: StaffAssignmentRepository,
  ) {}

  async execute(ctx: RequestContext, query: ListAppointmentsQuery): Promise<Page<AppointmentView>> {
    if (query.from && query.to && new Date(query.to) <= new Date(query.from)) throw DomainError.validation({ to: ['to must be after from'] });
    const db = this.db.reader;
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.appointments.list(db, ctx.tenantId, {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      status: query.status,
      contractId: query.contractId,
      ticketId: query.ticketId,
      assigneeId: query.assigneeId,
      after: after && { at: after[0], id: after[1] },
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (a) => [a.cursorAt, a.id]);
    const assignments = await this.assignments.ofAppointments(
      db,
      ctx.tenantId,
      page.items.map((a) => a.id),
    );
    return { items: page.items.map((a) => toAppointmentView(a, assignments.get(a.id) ?? [])), nextCursor: page.nextCursor };
  }
}
