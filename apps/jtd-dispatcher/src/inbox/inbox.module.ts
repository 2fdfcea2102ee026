import { Module } from '@nestjs/common';
import { InboxRpcController } from './inbox.rpc.controller';
import { ListInboxUseCase } from './use-cases/list-inbox.use-case';
import { MarkInboxItemReadUseCase } from './use-cases/mark-inbox-item-read.use-case';

/** A user's in-app notifications (what in-app jobs delivered). */
@Module({
  controllers: [InboxRpcController],
  providers: [ListInboxUseCase, MarkInboxItemReadUseCase],
})
export class InboxModule {}
