import { Injectable } from '@nestjs/common';
import { ListActivitiesQuery } from '@app/shared/api/events/activities.dto';
import type { ActivityView } from '@app/shared/api/events/activities.views';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page, pageLimit, pageOf } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ContractEventRepository } from '../../contract-events/contract-event.repository';
import { ActivityRepository } from '../activity.repository';
import { activityView } from '../activity.view';

/** The activities of an event, oldest first, keyset on (createdAt, id). */
@Injectable()
export class ListActivitiesUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly events: ContractEventRepository,
    private readonly activities: ActivityRepository,
  ) {}

  async execute(ctx: RequestContext, input: ListActivitiesQuery): Promise<Page<ActivityView>> {
    const db = this.db.reader;
    const limit = pageLimit(input);
    const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
    const e = await this.events.findById(db, ctx.tenantId, input.id);
    if (!e) throw DomainError.notFound('event', input.id);
    const rows = await this.activities.ofEvent(db, ctx.tenantId, e.id, after ? { createdAt: after[0], id: after[1] } : undefined, limit + 1);
    return pageOf(rows, limit, (a) => [a.cursorAt, a.id], activityView);
  }
}
