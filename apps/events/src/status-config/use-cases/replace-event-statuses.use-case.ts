import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReplaceEventStatusesDto } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { assertValidFlow } from '@app/shared/status-machine/status-machine';
import { EventFlowService } from '../event-flow.service';
import { assertStatusesKept } from '../statuses-in-use';
import { GetEventStatusesUseCase } from './get-event-statuses.use-case';

/**
 * Replaces the tenant's flow of one event type. Validated by the shared engine (exactly one initial status,
 * transitions between existing statuses); a status still held by one of the tenant's events may not go.
 */
@Injectable()
export class ReplaceEventStatusesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: EventFlowService,
    private readonly view: GetEventStatusesUseCase,
  ) {}

  async execute(ctx: RequestContext, input: ReplaceEventStatusesDto) {
    const flow = {
      statuses: input.statuses.map((s) => ({ ...s, color: s.color ?? null, icon: s.icon ?? null })),
      transitions: input.transitions.map((t) => ({
        from: t.from,
        to: t.to,
        requiresReason: t.requiresReason,
        requiresEvidence: t.requiresEvidence,
        isAutomatic: t.isAutomatic ?? false,
      })),
    };
    assertValidFlow(flow);
    return this.dataSource.transaction(async (tx) => {
      await assertStatusesKept(tx, ctx.tenantId, input.eventType, new Set(flow.statuses.map((s) => s.code)));
      const current = await this.flows.loadFresh(tx, ctx.tenantId, input.eventType);
      await this.flows.replace(tx, ctx.tenantId, input.eventType, flow, {
        dueLeadDays: input.dueLeadDays ?? current.settings.dueLeadDays,
        taskGatedTransitions: input.transitions.filter((t) => t.requiresTasksDone).map((t) => ({ from: t.from, to: t.to })),
      });
      return this.view.execute(ctx, { eventType: input.eventType }, tx);
    });
  }
}
