import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventAuditQuery } from '@app/shared/api/events/contract-events.dto';
import type { EventAuditEntryView } from '@app/shared/api/events/contract-events.views';
import { decodeCursor, encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAuditRepository } from '../event-audit.repository';

/** Every change of an event, oldest first. */
@Injectable()
export class ListEventAuditUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ContractEventRepository,
    private readonly audit: EventAuditRepository,
  ) {}

  async execute(ctx: RequestContext, input: EventAuditQuery): Promise<Page<EventAuditEntryView>> {
    const m = this.dataSource.manager;
    const e = await this.events.findById(m, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(input.cursor, ['int']);
    const rows = await this.audit.ofEvent(m, ctx.tenantId, e.id, after ? after[0] : null, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? encodeCursor([Number(page[page.length - 1].id)]) : null };
  }
}
