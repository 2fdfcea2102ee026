import { Controller } from '@nestjs/common';
import { receiveMsg91Report } from '@app/shared/api/jtd/jtd.operations';
import { ReceiveMsg91ReportDto } from '@app/shared/api/jtd/msg91-webhook.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { Msg91WebhookUseCase } from './msg91-webhook.use-case';

@Controller()
export class WebhooksRpcController {
  constructor(private readonly msg91: Msg91WebhookUseCase) {}

  @Handles(receiveMsg91Report)
  receiveMsg91Report(b: ReceiveMsg91ReportDto, ctx: RequestContext) {
    return this.msg91.execute(ctx, b.channel, b.tenant, b.token, b.payload);
  }
}
