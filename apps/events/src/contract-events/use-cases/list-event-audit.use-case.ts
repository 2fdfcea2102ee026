import { Injectable } from '@nestjs/common';
import { EventAuditQuery } from '@app/shared/api/events/contract-events.dto';
import type { EventAuditEntryView } from '@app/shared/api/events/contract-events.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../contract-event.repository';
import { EventAuditRepository } from '../event-audit.repository';

/** Every change of an event, oldest first. */
@Injectable()
export class ListEventAuditUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly audit: EventAuditRepository,
  ) {}

  async execute(ctx: RequestContext, input: EventAuditQuery): Promise<Page<EventAuditEntryView>> {
    const db = this.db.reader;
    const e = await this.events.findById(db, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['int']);
    const rows = await this.audit.ofEvent(db, ctx.tenantId, e.id, after ? after[0] : null, limit + 1);
    return pageOf(rows, limit, (r) => [Number(r.id)]);
  }
}
