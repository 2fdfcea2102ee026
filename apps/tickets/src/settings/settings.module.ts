import { Module } from '@nestjs/common';
import { SettingsRpcController } from './settings.rpc.controller';
import { GetStatusFlowUseCase } from './use-cases/get-status-flow.use-case';
import { ReplaceStatusFlowUseCase } from './use-cases/replace-status-flow.use-case';
import { ResetStatusFlowUseCase } from './use-cases/reset-status-flow.use-case';
import { GetCheckInSettingsUseCase, ReplaceCheckInSettingsUseCase } from './use-cases/check-in-settings.use-cases';
import { GetEvidenceTypesUseCase, ReplaceEvidenceTypesUseCase, ResetEvidenceTypesUseCase } from './use-cases/evidence-types.use-cases';

/**
 * `/settings/ticket-statuses` and `/settings/appointment-statuses`: a tenant's own flows (TicketFlows is in the core module);
 * `/settings/evidence-types` and `/settings/check-in`: its field settings (FieldSettingsRepository is in the core module).
 */
@Module({
  controllers: [SettingsRpcController],
  providers: [
    GetStatusFlowUseCase,
    ReplaceStatusFlowUseCase,
    ResetStatusFlowUseCase,
    GetEvidenceTypesUseCase,
    ReplaceEvidenceTypesUseCase,
    ResetEvidenceTypesUseCase,
    GetCheckInSettingsUseCase,
    ReplaceCheckInSettingsUseCase,
  ],
})
export class SettingsModule {}
