import { Module } from '@nestjs/common';
import { ReceiveMsg91ReportUseCase } from './use-cases/receive-msg91-report.use-case';
import { WebhookReceiptRepository } from './webhook-receipt.repository';
import { WebhooksRpcController } from './webhooks.rpc.controller';

/** Providers' delivery reports (MSG91): sent → delivered → read, or failed / bounced. */
@Module({
  controllers: [WebhooksRpcController],
  providers: [ReceiveMsg91ReportUseCase, WebhookReceiptRepository],
})
export class WebhooksModule {}
