import { Controller } from '@nestjs/common';
import { getEventStatuses, replaceEventStatuses, resetEventStatuses } from '@app/shared/api/events/cockpit-settings.operations';
import { EventTypeParams, ReplaceEventStatusesDto } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetEventStatusesUseCase } from './use-cases/get-event-statuses.use-case';
import { ReplaceEventStatusesUseCase } from './use-cases/replace-event-statuses.use-case';
import { ResetEventStatusesUseCase } from './use-cases/reset-event-statuses.use-case';

@Controller()
export class StatusConfigRpcController {
  constructor(
    private readonly getStatuses: GetEventStatusesUseCase,
    private readonly replaceStatuses: ReplaceEventStatusesUseCase,
    private readonly resetStatuses: ResetEventStatusesUseCase,
  ) {}

  @Handles(getEventStatuses)
  get(input: EventTypeParams, ctx: RequestContext) {
    return this.getStatuses.execute(ctx, input);
  }

  @Handles(replaceEventStatuses)
  replace(input: ReplaceEventStatusesDto, ctx: RequestContext) {
    return this.replaceStatuses.execute(ctx, input);
  }

  @Handles(resetEventStatuses)
  reset(input: EventTypeParams, ctx: RequestContext) {
    return this.resetStatuses.execute(ctx, input);
  }
}
