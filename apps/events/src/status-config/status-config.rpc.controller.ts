import { Controller } from '@nestjs/common';
import { EventTypeParams, ReplaceEventStatusesDto } from '@app/shared/api/events/event-status-settings.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
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

  @RpcHandler('events.event-statuses.get', EventTypeParams)
  get(body: EventTypeParams, ctx: RequestContext) {
    return this.getStatuses.execute(ctx, body);
  }

  @RpcHandler('events.event-statuses.replace', ReplaceEventStatusesDto)
  replace(body: ReplaceEventStatusesDto, ctx: RequestContext) {
    return this.replaceStatuses.execute(ctx, body);
  }

  @RpcHandler('events.event-statuses.reset', EventTypeParams)
  reset(body: EventTypeParams, ctx: RequestContext) {
    return this.resetStatuses.execute(ctx, body);
  }
}
