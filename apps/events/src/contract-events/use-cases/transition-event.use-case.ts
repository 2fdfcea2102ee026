import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransitionEventDto } from '@app/shared/api/events/contract-events.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { EventStatusMover } from '../event-status-mover';
import { eventView } from '../event.view';
import { lockEvent } from './event-lookup';

/** A person moves an event to another status of the tenant's flow. */
@Injectable()
export class TransitionEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
    private readonly mover: EventStatusMover,
  ) {}

  async execute(ctx: RequestContext, input: TransitionEventDto) {
    return this.dataSource.transaction(async (tx) => {
      const e = await lockEvent(tx, this.events, ctx.tenantId, input.id, input.version);
      const moved = await this.mover.move(tx, ctx, e, input.toStatus, { reason: input.reason, evidenceIds: input.evidenceIds, by: 'person' });
      const people = await this.assignees.ofEvents(tx, ctx.tenantId, [e.id]);
      return eventView(moved, people.get(e.id) ?? []);
    });
  }
}
