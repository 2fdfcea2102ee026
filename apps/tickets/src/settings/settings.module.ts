import { Module } from '@nestjs/common';
import { SettingsRpcController } from './settings.rpc.controller';
import { GetStatusFlowUseCase } from './use-cases/get-status-flow.use-case';
import { ReplaceStatusFlowUseCase } from './use-cases/replace-status-flow.use-case';
import { ResetStatusFlowUseCase } from './use-cases/reset-status-flow.use-case';

/** `/settings/ticket-statuses` and `/settings/appointment-statuses`: a tenant's own flows (TicketFlows is in the core module). */
@Module({ controllers: [SettingsRpcController], providers: [GetStatusFlowUseCase, ReplaceStatusFlowUseCase, ResetStatusFlowUseCase] })
export class SettingsModule {}
