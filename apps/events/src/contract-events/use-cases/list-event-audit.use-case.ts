import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PageQuery } from '@app/shared/api/events/common.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { decodeCursor, encodeCursor } from '../../common/cursor';
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

  async execute(ctx: RequestContext, input: PageQuery & { id: string }) {
    const m = this.dataSource.manager;
    const e = await this.events.findById(m, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const limit = input.limit ?? 200;
    const after = decodeCursor(input.cursor, (v): v is { a: string } => typeof v?.a === 'string' && /^\d{1,18}$/.test(v.a));
    const rows = await this.audit.ofEvent(m, ctx.tenantId, e.id, after ? Number(after.a) : null, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? encodeCursor({ a: page[page.length - 1].id }) : null };
  }
}
