import { Module } from '@nestjs/common';
import { SettingsRpcController } from './settings.rpc.controller';
import { GetChannelFallbackUseCase } from './use-cases/get-channel-fallback.use-case';
import { GetSettingsUseCase } from './use-cases/get-settings.use-case';
import { GetSourceSettingsUseCase } from './use-cases/get-source-settings.use-case';
import { ReplaceChannelFallbackUseCase } from './use-cases/replace-channel-fallback.use-case';
import { RotateWebhookSecretUseCase } from './use-cases/rotate-webhook-secret.use-case';
import { UpdateSettingsUseCase } from './use-cases/update-settings.use-case';
import { UpdateSourceSettingsUseCase } from './use-cases/update-source-settings.use-case';

/** A tenant's JTD settings, its per-source overrides, its channel fallback and its webhook secret. */
@Module({
  controllers: [SettingsRpcController],
  providers: [
    GetSettingsUseCase,
    UpdateSettingsUseCase,
    RotateWebhookSecretUseCase,
    GetSourceSettingsUseCase,
    UpdateSourceSettingsUseCase,
    GetChannelFallbackUseCase,
    ReplaceChannelFallbackUseCase,
  ],
})
export class SettingsModule {}
