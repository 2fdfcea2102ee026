import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ListTicketsQuery, TicketRef } from '@app/shared/api/tickets/tickets.dto';
import { TicketDetailView, TicketView } from '@app/shared/api/tickets/tickets.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Page } from '@app/shared/contract/page';
import { limitOf, pageOf, positionOf } from '../../common/page';
import { EvidenceEntity } from '../../evidence/evidence.entity';
import { toEvidenceView } from '../../evidence/evidence.view';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { ServiceTicketEntity, ServiceTicketEventEntity, StatusHistoryEntity } from '../ticket.entities';
import { TicketRepository } from '../ticket.repository';
import { toStatusChangeView, toTicketDetailView, toTicketEventView, toTicketView } from '../ticket.view';

@Injectable()
export class QueryTicketsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly readModel: ReadModelRepository,
  ) {}

  /** Newest first, keyset-paginated. */
  async list(ctx: RequestContext, query: ListTicketsQuery): Promise<Page<TicketView>> {
    const limit = limitOf(query);
    const after = positionOf(query.cursor);
    const q = this.dataSource.getRepository(ServiceTicketEntity).createQueryBuilder('t').where('t.tenant_id = :tenantId', { tenantId: ctx.tenantId });
    if (query.contractId) q.andWhere('t.contract_id = :contractId', { contractId: query.contractId });
    if (query.status) q.andWhere('t.status = :status', { status: query.status });
    if (query.assigneeId) q.andWhere('t.assignees @> :who::jsonb', { who: JSON.stringify([{ userId: query.assigneeId }]) });
    if (after) q.andWhere('(t.created_at, t.id) < (:at, :id)', after);
    const rows = await q.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(limit + 1).getMany();
    const shown = rows.slice(0, limit);
    const links = shown.length
      ? await this.dataSource.getRepository(ServiceTicketEventEntity).createQueryBuilder('l').where('l.ticket_id IN (:...ids)', { ids: shown.map((t) => t.id) }).getMany()
      : [];
    const eventIdsOf = (t: ServiceTicketEntity) => links.filter((l) => l.ticketId === t.id).map((l) => l.eventId);
    return pageOf(rows, limit, (t) => ({ at: t.createdAt, id: t.id }), (t) => toTicketView(t, eventIdsOf(t)));
  }

  /** One ticket with its events (from the read model), its evidence and its status history. */
  async get(ctx: RequestContext, ref: TicketRef): Promise<TicketDetailView> {
    const tx = this.dataSource.manager;
    const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, ref.id);
    const eventIds = await this.tickets.eventIdsOf(tx, ticket.id);
    const [events, evidence, history] = await Promise.all([
      this.readModel.events(tx, ctx.tenantId, eventIds),
      tx.find(EvidenceEntity, { where: { tenantId: ctx.tenantId, ticketId: ticket.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
      tx.find(StatusHistoryEntity, { where: { tenantId: ctx.tenantId, entityId: ticket.id }, order: { at: 'ASC' } }),
    ]);
    return toTicketDetailView(ticket, eventIds, {
      events: events.map(toTicketEventView),
      evidence: evidence.map(toEvidenceView),
      history: history.map(toStatusChangeView),
    });
  }
}
