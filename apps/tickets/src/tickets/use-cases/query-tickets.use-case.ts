import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { ListTicketsDto, TicketIdDto } from '@app/shared/api/tickets/tickets.dto';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, Page } from '../../common/page';
import { ReadModelRepository } from '../../read-model/read-model.repository';
import { EvidenceEntity } from '../../evidence/evidence.entity';
import { toEvidenceView } from '../../evidence/evidence.view';
import { ServiceTicketEntity, ServiceTicketEventEntity, StatusHistoryEntity } from '../ticket.entities';
import { TicketRepository } from '../ticket.repository';
import { toTicketEventView, toTicketView } from '../ticket.view';

@Injectable()
export class QueryTicketsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly readModel: ReadModelRepository,
  ) {}

  /** Newest first, keyset-paginated. */
  async list(ctx: RequestContext, dto: ListTicketsDto): Promise<Page<ReturnType<typeof toTicketView>>> {
    const limit = dto.limit ?? DEFAULT_LIMIT;
    const cursor = decodeCursor(dto.cursor);
    const q = this.dataSource.getRepository(ServiceTicketEntity).createQueryBuilder('t').where('t.tenant_id = :tenantId', { tenantId: ctx.tenantId });
    if (dto.contractId) q.andWhere('t.contract_id = :contractId', { contractId: dto.contractId });
    if (dto.status) q.andWhere('t.status = :status', { status: dto.status });
    if (dto.assigneeId) q.andWhere('t.assignees @> :who::jsonb', { who: JSON.stringify([{ userId: dto.assigneeId }]) });
    if (cursor) q.andWhere('(t.created_at, t.id) < (:at, :id)', { at: cursor.at, id: cursor.id });
    const rows = await q.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const links = page.length
      ? await this.dataSource.getRepository(ServiceTicketEventEntity).createQueryBuilder('l').where('l.ticket_id IN (:...ids)', { ids: page.map((t) => t.id) }).getMany()
      : [];
    return {
      items: page.map((t) => toTicketView(t, links.filter((l) => l.ticketId === t.id).map((l) => l.eventId))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null,
    };
  }

  /** One ticket with its events (from the read model), its evidence and its status history. */
  async get(ctx: RequestContext, dto: TicketIdDto) {
    const tx = this.dataSource.manager;
    const ticket = await this.tickets.findOrFail(tx, ctx.tenantId, dto.id);
    const eventIds = await this.tickets.eventIdsOf(tx, ticket.id);
    const [events, evidence, history] = await Promise.all([
      this.readModel.events(tx, ctx.tenantId, eventIds),
      tx.find(EvidenceEntity, { where: { tenantId: ctx.tenantId, ticketId: ticket.id }, order: { createdAt: 'ASC' } }),
      tx.find(StatusHistoryEntity, { where: { tenantId: ctx.tenantId, entityId: ticket.id }, order: { at: 'ASC' } }),
    ]);
    return toTicketView(ticket, eventIds, {
      events: events.map(toTicketEventView),
      evidence: evidence.map(toEvidenceView),
      history: history.map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        reason: h.reason,
        actor: h.actor,
        at: h.at.toISOString(),
        secondsInPrevious: h.secondsInPrevious,
      })),
    });
  }
}
