import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { SourceTypeParamDto, UpdateJtdSettingsDto, UpdateJtdSourceSettingsBodyDto } from '@app/shared/api/jtd/jtd.dto';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

@ApiTags('jtd')
@Controller('settings/jtd')
export class JtdSettingsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Tenant JTD settings: channels, VaNi, limits, quiet hours, timezone, test mode' })
  get(@Ctx() ctx: RequestContext) {
    return this.rpc.call('jtd-dispatcher', 'jtd.settings.get', ctx, {});
  }

  @Put()
  @Roles('admin')
  update(@Ctx() ctx: RequestContext, @Body() body: UpdateJtdSettingsDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.settings.update', ctx, body);
  }

  @Post('webhook-secret')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a new MSG91 webhook secret (shown once)' })
  rotate(@Ctx() ctx: RequestContext) {
    return this.rpc.call('jtd-dispatcher', 'jtd.settings.rotate-webhook-secret', ctx, {});
  }

  @Get('sources/:sourceType')
  @Roles('admin')
  getSource(@Ctx() ctx: RequestContext, @Param() p: SourceTypeParamDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.sources.get', ctx, { sourceType: p.sourceType });
  }

  @Put('sources/:sourceType')
  @Roles('admin')
  @ApiOperation({ summary: 'Per-source override: channels, enabled, auto-execute, priority, delay' })
  updateSource(@Ctx() ctx: RequestContext, @Param() p: SourceTypeParamDto, @Body() body: UpdateJtdSourceSettingsBodyDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.sources.update', ctx, { ...body, sourceType: p.sourceType });
  }
}
