import { Injectable } from '@nestjs/common';
import { TransitionEventDto } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../contract-event.repository';
import { EventStatusMover } from '../event-status-mover';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/** A person moves an event to another status of the tenant's flow. */
@Injectable()
export class TransitionEventUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly mover: EventStatusMover,
  ) {}

  async execute(ctx: RequestContext, input: TransitionEventDto): Promise<ContractEventView> {
    return this.db.run(async (tx) => {
      // Assignees come with the locked row: a move does not change them, and their edits lock this row too;
      // so does the next visit's place when the move may start the event (EVENT_STARTED carries it).
      const withNextVisitPlace = await this.mover.mayStart(tx, ctx.tenantId, input.toStatus);
      const { assignees, nextVisitPlace, ...e } = await lockEvent(tx, this.events, ctx.tenantId, input.id, input.version, {
        withAssignees: true,
        withNextVisitPlace,
      });
      const moved = await this.mover.move(tx, ctx, e, input.toStatus, { reason: input.reason, evidenceIds: input.evidenceIds, by: 'person', nextVisitPlace });
      return eventView(moved, assignees);
    });
  }
}
