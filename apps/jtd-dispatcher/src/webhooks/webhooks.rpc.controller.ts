import { Controller } from '@nestjs/common';
import { receiveMsg91Report } from '@app/shared/api/jtd/jtd.operations';
import { ReceiveMsg91ReportDto } from '@app/shared/api/jtd/msg91-webhook.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { ReceiveMsg91ReportUseCase } from './use-cases/receive-msg91-report.use-case';

@Controller()
export class WebhooksRpcController {
  constructor(private readonly receiveMsg91: ReceiveMsg91ReportUseCase) {}

  @Handles(receiveMsg91Report)
  msg91(input: ReceiveMsg91ReportDto, ctx: RequestContext) {
    return this.receiveMsg91.execute(ctx, input);
  }
}
