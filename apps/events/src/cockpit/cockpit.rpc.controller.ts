import { Controller } from '@nestjs/common';
import { getCockpit } from '@app/shared/api/events/cockpit-settings.operations';
import { CockpitQuery } from '@app/shared/api/events/contract-events.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetCockpitUseCase } from './get-cockpit.use-case';

@Controller()
export class CockpitRpcController {
  constructor(private readonly cockpit: GetCockpitUseCase) {}

  @Handles(getCockpit)
  get(input: CockpitQuery, ctx: RequestContext) {
    return this.cockpit.execute(ctx, input);
  }
}
