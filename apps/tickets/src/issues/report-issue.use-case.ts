import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Outbox } from '@app/shared/messaging/outbox';
import { Clock } from '@app/shared/time/clock';
import { IssueReportView, ListIssuesQuery, ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { Page } from '@app/shared/contract/page';
import { limitOf, pageOf, positionOf } from '../common/page';
import { AppointmentRepository } from '../appointments/appointment.repository';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { TicketRepository } from '../tickets/ticket.repository';
import { IssueReportEntity } from './issue-report.entity';

function toIssueView(i: IssueReportEntity): IssueReportView {
  return {
    id: i.id,
    contractId: i.contractId,
    ticketId: i.ticketId,
    appointmentId: i.appointmentId,
    eventId: i.eventId,
    type: i.type,
    severity: i.severity,
    description: i.description,
    immediateActionTaken: i.immediateActionTaken,
    reportedBy: { id: i.reportedBy, name: i.reportedByName },
    reportedAt: i.reportedAt.toISOString(),
  };
}

/** Issue reports on a ticket or an appointment (venue, staff, kit, logistics, client, other), announced as EVENT_ISSUE_REPORTED. */
@Injectable()
export class ReportIssueUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly appointments: AppointmentRepository,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async onTicket(ctx: RequestContext, dto: ReportIssueDto): Promise<IssueReportView> {
    return this.dataSource.transaction(async (tx) => {
      const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.id);
      const eventIds = await this.tickets.eventIdsOf(tx, ticket.id);
      return this.record(tx, ctx, dto, { contractId: ticket.contractId, ticketId: ticket.id, appointmentId: null, eventIds });
    });
  }

  async onAppointment(ctx: RequestContext, dto: ReportIssueDto): Promise<IssueReportView> {
    return this.dataSource.transaction(async (tx) => {
      const a = await this.appointments.findOrFail(tx, ctx.tenantId, dto.id);
      return this.record(tx, ctx, dto, { contractId: a.contractId, ticketId: a.ticketId, appointmentId: a.id, eventIds: a.eventIds });
    });
  }

  /** Newest first, keyset-paginated; a ticket's list includes the issues reported on its visits. */
  async list(ctx: RequestContext, query: ListIssuesQuery, on: 'ticket' | 'appointment'): Promise<Page<IssueReportView>> {
    const limit = limitOf(query);
    const after = positionOf(query.cursor);
    const m = this.dataSource.manager;
    if (on === 'ticket') await this.tickets.findOrFail(m, ctx.tenantId, query.id);
    else await this.appointments.findOrFail(m, ctx.tenantId, query.id);
    const q = m
      .getRepository(IssueReportEntity)
      .createQueryBuilder('i')
      .where(`i.tenant_id = :tenantId AND i.${on === 'ticket' ? 'ticket_id' : 'appointment_id'} = :id`, { tenantId: ctx.tenantId, id: query.id });
    if (after) q.andWhere('(i.reported_at, i.id) < (:at, :id2)', { at: after.at, id2: after.id });
    const rows = await q.orderBy('i.reported_at', 'DESC').addOrderBy('i.id', 'DESC').limit(limit + 1).getMany();
    return pageOf(rows, limit, (i) => ({ at: i.reportedAt, id: i.id }), toIssueView);
  }

  private async record(
    tx: EntityManager,
    ctx: RequestContext,
    dto: ReportIssueDto,
    scope: { contractId: string; ticketId: string | null; appointmentId: string | null; eventIds: string[] },
  ) {
    if (dto.eventId && !scope.eventIds.includes(dto.eventId)) {
      await this.readModel.eventOrFail(tx, ctx.tenantId, dto.eventId);
      throw DomainError.rule(`event ${dto.eventId} is not part of this visit`, { reason: 'NOT_ON_TICKET' });
    }
    const now = this.clock.now();
    const issue = tx.create(IssueReportEntity, {
      id: randomUUID(),
      tenantId: ctx.tenantId,
      contractId: scope.contractId,
      ticketId: scope.ticketId,
      appointmentId: scope.appointmentId,
      eventId: dto.eventId ?? null,
      type: dto.type,
      severity: dto.severity,
      description: dto.description,
      immediateActionTaken: dto.immediateActionTaken ?? null,
      reportedBy: ctx.actor.id,
      reportedByName: ctx.actor.name,
      reportedAt: now,
    });
    await tx.insert(IssueReportEntity, issue);
    await this.outbox.append(tx, ctx, [
      {
        type: 'EVENT_ISSUE_REPORTED',
        aggregateId: issue.id,
        aggregateVersion: 1,
        payload: {
          issueId: issue.id,
          contractId: scope.contractId,
          ticketId: scope.ticketId ?? undefined,
          appointmentId: scope.appointmentId ?? undefined,
          eventId: dto.eventId,
          reportedBy: ctx.actor.id,
          reportedAt: now.toISOString(),
          issueType: dto.type,
          severity: dto.severity,
          description: dto.description,
          immediateActionTaken: dto.immediateActionTaken,
        },
      },
    ]);
    return toIssueView(issue);
  }
}
