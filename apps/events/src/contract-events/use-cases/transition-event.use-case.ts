import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransitionEventDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { RequestContext } from '@app/shared/context/request-context';
import { ContractEventRepository } from '../contract-event.repository';
import { EventStatusMover } from '../event-status-mover';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/** A person moves an event to another status of the tenant's flow. */
@Injectable()
export class TransitionEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
    private readonly mover: EventStatusMover,
  ) {}

  async execute(ctx: RequestContext, input: TransitionEventDto): Promise<ContractEventView> {
    return this.dataSource.transaction(async (tx) => {
      // Assignees come with the locked row: a move does not change them, and their edits lock this row too.
      const { assignees, ...e } = await lockEvent(tx, this.events, ctx.tenantId, input.id, input.version, { withAssignees: true });
      const moved = await this.mover.move(tx, ctx, e, input.toStatus, { reason: input.reason, evidenceIds: input.evidenceIds, by: 'person' });
      return eventView(moved, assignees);
    });
  }
}
