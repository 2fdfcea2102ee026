import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventIdParams } from '@app/shared/api/events/common.dto';
import type { ContractEventDetailView } from '@app/shared/api/events/contract-events.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventRepository } from '../contract-event.repository';
import { eventDetailView } from '../event.view';

@Injectable()
export class GetEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
  ) {}

  async execute(ctx: RequestContext, input: EventIdParams): Promise<ContractEventDetailView> {
    const e = await this.events.findWithDetails(this.dataSource.manager, ctx.tenantId, input.id, { tasks: true });
    if (!e) throw DomainError.notFound('event', input.id);
    return eventDetailView(e, e.assignees, e.tasks ?? []);
  }
}
