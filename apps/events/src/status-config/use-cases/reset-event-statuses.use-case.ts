import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStatusFlowView, EventTypeParams } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { machineOf } from '../default-flows';
import { EventFlowService } from '../event-flow.service';
import { assertStatusesKept } from '../statuses-in-use';
import { GetEventStatusesUseCase } from './get-event-statuses.use-case';

/** Drops the tenant's override of one event type: the system defaults apply again (unless that would strand events). */
@Injectable()
export class ResetEventStatusesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: EventFlowService,
    private readonly view: GetEventStatusesUseCase,
  ) {}

  async execute(ctx: RequestContext, input: EventTypeParams): Promise<EventStatusFlowView> {
    return this.dataSource.transaction(async (tx) => {
      const defaults: Array<{ code: string }> = await tx.query(`SELECT code FROM status_definitions WHERE tenant_id IS NULL AND machine = $1`, [
        machineOf(input.eventType),
      ]);
      await assertStatusesKept(tx, ctx.tenantId, input.eventType, new Set(defaults.map((d) => d.code)));
      await this.flows.reset(tx, ctx.tenantId, input.eventType);
      return this.view.execute(ctx, input, tx);
    });
  }
}
