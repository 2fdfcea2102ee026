import { Controller } from '@nestjs/common';
import { JtdSourceTypeRef, ReplaceJtdChannelFallbackDto, UpdateJtdSettingsDto, UpdateJtdSourceSettingsDto } from '@app/shared/api/jtd/jtd-settings.dto';
import {
  getJtdChannelFallback,
  getJtdSettings,
  getJtdSourceSettings,
  replaceJtdChannelFallback,
  rotateWebhookSecret,
  updateJtdSettings,
  updateJtdSourceSettings,
} from '@app/shared/api/jtd/jtd-settings.operations';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { GetChannelFallbackUseCase } from './use-cases/get-channel-fallback.use-case';
import { GetSettingsUseCase } from './use-cases/get-settings.use-case';
import { GetSourceSettingsUseCase } from './use-cases/get-source-settings.use-case';
import { ReplaceChannelFallbackUseCase } from './use-cases/replace-channel-fallback.use-case';
import { RotateWebhookSecretUseCase } from './use-cases/rotate-webhook-secret.use-case';
import { UpdateSettingsUseCase } from './use-cases/update-settings.use-case';
import { UpdateSourceSettingsUseCase } from './use-cases/update-source-settings.use-case';

@Controller()
export class SettingsRpcController {
  constructor(
    private readonly getSettings: GetSettingsUseCase,
    private readonly updateSettings: UpdateSettingsUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
    private readonly getSource: GetSourceSettingsUseCase,
    private readonly updateSource: UpdateSourceSettingsUseCase,
    private readonly getFallback: GetChannelFallbackUseCase,
    private readonly replaceFallback: ReplaceChannelFallbackUseCase,
  ) {}

  @Handles(getJtdSettings)
  get(_input: NoInput, ctx: RequestContext) {
    return this.getSettings.execute(ctx);
  }

  @Handles(updateJtdSettings)
  update(input: UpdateJtdSettingsDto, ctx: RequestContext) {
    return this.updateSettings.execute(ctx, input);
  }

  @Handles(rotateWebhookSecret)
  rotate(_input: NoInput, ctx: RequestContext) {
    return this.rotateSecret.execute(ctx);
  }

  @Handles(getJtdSourceSettings)
  source(input: JtdSourceTypeRef, ctx: RequestContext) {
    return this.getSource.execute(ctx, input);
  }

  @Handles(updateJtdSourceSettings)
  updateSourceSettings(input: UpdateJtdSourceSettingsDto, ctx: RequestContext) {
    return this.updateSource.execute(ctx, input);
  }

  @Handles(getJtdChannelFallback)
  channelFallback(_input: NoInput, ctx: RequestContext) {
    return this.getFallback.execute(ctx);
  }

  @Handles(replaceJtdChannelFallback)
  replaceChannelFallback(input: ReplaceJtdChannelFallbackDto, ctx: RequestContext) {
    return this.replaceFallback.execute(ctx, input);
  }
}
