import { Controller } from '@nestjs/common';
import { JtdSourceTypeRef, UpdateJtdSettingsDto, UpdateJtdSourceSettingsDto } from '@app/shared/api/jtd/jtd-settings.dto';
import {
  getJtdSettings, getJtdSourceSettings, rotateWebhookSecret, updateJtdSettings, updateJtdSourceSettings,
} from '@app/shared/api/jtd/jtd-settings.operations';
import { NoInput } from '@app/shared/api/platform/messaging.dto';
import { RequestContext } from '@app/shared/context/request-context';
import { Handles } from '@app/shared/rpc/handles.decorator';
import { JtdSettingsService } from './jtd-settings.service';

@Controller()
export class SettingsRpcController {
  constructor(private readonly settings: JtdSettingsService) {}

  @Handles(getJtdSettings)
  getJtdSettings(_b: NoInput, ctx: RequestContext) {
    return this.settings.get(ctx.tenantId);
  }

  @Handles(updateJtdSettings)
  updateJtdSettings(b: UpdateJtdSettingsDto, ctx: RequestContext) {
    return this.settings.update(ctx.tenantId, b);
  }

  @Handles(rotateWebhookSecret)
  rotateWebhookSecret(_b: NoInput, ctx: RequestContext) {
    return this.settings.rotateWebhookSecret(ctx.tenantId);
  }

  @Handles(getJtdSourceSettings)
  getJtdSourceSettings(b: JtdSourceTypeRef, ctx: RequestContext) {
    return this.settings.getSource(ctx.tenantId, b.sourceType);
  }

  @Handles(updateJtdSourceSettings)
  updateJtdSourceSettings(b: UpdateJtdSourceSettingsDto, ctx: RequestContext) {
    return this.settings.updateSource(ctx.tenantId, b);
  }
}
