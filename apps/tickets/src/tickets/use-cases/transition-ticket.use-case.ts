import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Clock } from '@app/shared/time/clock';
import { TransitionTicketDto } from '@app/shared/api/tickets/tickets.dto';
import { TicketView } from '@app/shared/api/tickets/tickets.views';
import { TicketRepository } from '../ticket.repository';
import { TicketStatusService } from '../ticket-status.service';
import { toTicketView } from '../ticket.view';

@Injectable()
export class TransitionTicketUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
    private readonly status: TicketStatusService,
    private readonly clock: Clock,
  ) {}

  async execute(ctx: RequestContext, dto: TransitionTicketDto): Promise<TicketView> {
    return this.dataSource.transaction(async (tx) => {
      const ticket = await this.tickets.lockOrFail(tx, ctx.tenantId, dto.id);
      if (ticket.version !== dto.version) throw DomainError.versionConflict(dto.version, ticket.version);
      await this.status.move(tx, ctx, ticket, { to: dto.toStatus, reason: dto.reason, at: this.clock.now() });
      return toTicketView(ticket, await this.tickets.eventIdsOf(tx, ticket.id));
    });
  }
}
