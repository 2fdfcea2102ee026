import { Injectable } from '@nestjs/common';
import { ListEventsQuery } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { eventView } from '../event.view';

/** Events ordered by scheduled date, filtered, with keyset pagination on (scheduledDate, id). */
@Injectable()
export class ListEventsUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListEventsQuery): Promise<Page<ContractEventView>> {
    const db = this.db.reader;
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.events.list(db, ctx.tenantId, {
      contractId: input.contractId,
      type: input.type,
      statuses: input.status?.split(','),
      assigneeId: input.assigneeId,
      from: input.from ? new Date(input.from) : undefined,
      to: input.to ? new Date(input.to) : undefined,
      after: after ? { scheduledDate: new Date(after[0]), id: after[1] } : undefined,
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (e) => [e.scheduledDate.toISOString(), e.id]);
    const people = await this.assignees.ofEvents(
      db,
      ctx.tenantId,
      page.items.map((e) => e.id),
    );
    return { items: page.items.map((e) => eventView(e, people.get(e.id) ?? [])), nextCursor: page.nextCursor };
  }
}
