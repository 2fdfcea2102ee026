import { Injectable } from '@nestjs/common';
import type { EventIdParams } from '@app/shared/api/events/common.dto';
import type { ContractEventDetailView } from '@app/shared/api/events/contract-events.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../contract-event.repository';
import { eventDetailView } from '../event.view';

@Injectable()
export class GetEventUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
  ) {}

  async execute(ctx: RequestContext, input: EventIdParams): Promise<ContractEventDetailView> {
    const e = await this.events.findWithDetails(this.db.reader, ctx.tenantId, input.id, { tasks: true });
    if (!e) throw DomainError.notFound('event', input.id);
    return eventDetailView(e, e.assignees, e.tasks ?? []);
  }
}
