import { Module } from '@nestjs/common';
import { StatusConfigRpcController } from './status-config.rpc.controller';
import { GetEventStatusesUseCase } from './use-cases/get-event-statuses.use-case';
import { ReplaceEventStatusesUseCase } from './use-cases/replace-event-statuses.use-case';
import { ResetEventStatusesUseCase } from './use-cases/reset-event-statuses.use-case';

/** /settings/event-statuses: the tenant's flows per event type. */
@Module({
  controllers: [StatusConfigRpcController],
  providers: [GetEventStatusesUseCase, ReplaceEventStatusesUseCase, ResetEventStatusesUseCase],
})
export class StatusConfigModule {}
