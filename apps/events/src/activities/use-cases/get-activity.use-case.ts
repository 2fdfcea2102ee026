import { Injectable } from '@nestjs/common';
import { ActivityParams } from '@app/shared/api/events/activities.dto';
import type { ActivityView } from '@app/shared/api/events/activities.views';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { Transactions } from '@app/shared/db/transactions';
import { ActivityRepository } from '../activity.repository';
import { activityView } from '../activity.view';

/** One activity of the tenant's event. */
@Injectable()
export class GetActivityUseCase {
  constructor(
    private readonly db: Transactions,
    private readonly activities: ActivityRepository,
  ) {}

  async execute(ctx: RequestContext, input: ActivityParams): Promise<ActivityView> {
    const a = await this.activities.find(this.db.reader, ctx.tenantId, input.id, input.activityId);
    if (!a) throw DomainError.notFound('activity', input.activityId);
    return activityView(a);
  }
}
