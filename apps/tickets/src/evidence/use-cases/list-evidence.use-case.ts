import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EvidenceView, ListEvidenceQuery } from '@app/shared/api/tickets/evidence.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Page } from '@app/shared/contract/page';
import { limitOf, pageOf, positionOf } from '../../common/page';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EvidenceEntity } from '../evidence.entity';
import { toEvidenceView } from '../evidence.view';

/** A ticket's evidence, oldest first (the order it was collected in), keyset-paginated. */
@Injectable()
export class ListEvidenceUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
  ) {}

  async execute(ctx: RequestContext, query: ListEvidenceQuery): Promise<Page<EvidenceView>> {
    const limit = limitOf(query);
    const after = positionOf(query.cursor);
    const ticket = await this.tickets.findOrFail(this.dataSource.manager, ctx.tenantId, query.id);
    const q = this.dataSource
      .getRepository(EvidenceEntity)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.ticket_id = :ticketId', { tenantId: ctx.tenantId, ticketId: ticket.id });
    if (after) q.andWhere('(e.created_at, e.id) > (:at, :id)', after);
    const rows = await q.orderBy('e.created_at', 'ASC').addOrderBy('e.id', 'ASC').limit(limit + 1).getMany();
    return pageOf(rows, limit, (e) => ({ at: e.createdAt, id: e.id }), toEvidenceView);
  }
}
