import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { TicketIdDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketRepository } from '../../tickets/ticket.repository';
import { EvidenceEntity } from '../evidence.entity';
import { toEvidenceView } from '../evidence.view';

@Injectable()
export class ListEvidenceUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
  ) {}

  async execute(ctx: RequestContext, dto: TicketIdDto) {
    const ticket = await this.tickets.findOrFail(this.dataSource.manager, ctx.tenantId, dto.id);
    const rows = await this.dataSource.manager.find(EvidenceEntity, { where: { tenantId: ctx.tenantId, ticketId: ticket.id }, order: { createdAt: 'ASC' } });
    return { items: rows.map(toEvidenceView), nextCursor: null };
  }
}
