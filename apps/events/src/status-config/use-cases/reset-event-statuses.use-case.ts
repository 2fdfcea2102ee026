import { Injectable } from '@nestjs/common';
import type { EventStatusFlowView, EventTypeParams } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { EventFlowService } from '../event-flow.service';
import { assertStatusesKept } from '../statuses-in-use';
import { GetEventStatusesUseCase } from './get-event-statuses.use-case';

/** Drops the tenant's override of one event type: the system defaults apply again (unless that would strand events). */
@Injectable()
export class ResetEventStatusesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly flows: EventFlowService,
    private readonly events: ContractEventRepository,
    private readonly view: GetEventStatusesUseCase,
  ) {}

  async execute(ctx: RequestContext, input: EventTypeParams): Promise<EventStatusFlowView> {
    return this.db.run(async (tx) => {
      const defaults = await this.flows.defaultCodes(tx, input.eventType);
      assertStatusesKept(await this.events.statusesInUse(tx, ctx.tenantId, input.eventType), new Set(defaults));
      await this.flows.reset(tx, ctx.tenantId, input.eventType);
      return this.view.execute(ctx, input, tx);
    });
  }
}
