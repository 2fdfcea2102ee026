import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListEventsQuery } from '@app/shared/api/events/contract-events.dto';
import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import { decodeCursor, encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAssigneeRepository } from '../event-assignee.repository';
import { eventView } from '../event.view';

/** Events ordered by scheduled date, filtered, with keyset pagination on (scheduledDate, id). */
@Injectable()
export class ListEventsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
    private readonly assignees: EventAssigneeRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListEventsQuery): Promise<Page<ContractEventView>> {
    const m = this.dataSource.manager;
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const rows = await this.events.list(m, ctx.tenantId, {
      contractId: input.contractId,
      type: input.type,
      statuses: input.status?.split(','),
      assigneeId: input.assigneeId,
      from: input.from ? new Date(input.from) : undefined,
      to: input.to ? new Date(input.to) : undefined,
      after: after ? { scheduledDate: new Date(after[0]), id: after[1] } : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const people = await this.assignees.ofEvents(m, ctx.tenantId, page.map((e) => e.id));
    const last = page[page.length - 1];
    return {
      items: page.map((e) => eventView(e, people.get(e.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.scheduledDate).toISOString(), last.id]) : null,
    };
  }
}
