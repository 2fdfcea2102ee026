import { Controller } from '@nestjs/common';
import { CockpitQuery } from '@app/shared/api/events/contract-events.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { RpcHandler } from '@app/shared/rpc/rpc-handler.decorator';
import { GetCockpitUseCase } from './get-cockpit.use-case';

@Controller()
export class CockpitRpcController {
  constructor(private readonly cockpit: GetCockpitUseCase) {}

  @RpcHandler('events.cockpit.get', CockpitQuery)
  get(body: CockpitQuery, ctx: RequestContext) {
    return this.cockpit.execute(ctx, body);
  }
}
