import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { Msg91WebhookChannelDto, Msg91WebhookQueryDto } from '@app/shared/api/jtd/jtd.dto';
import { Public } from '../../auth/roles.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

/**
 * MSG91 delivery reports. MSG91 does not sign requests: the URL names the tenant and carries its secret,
 * which the dispatcher checks (401 when wrong). The body is passed through as received.
 */
@ApiTags('webhooks')
@Controller('webhooks/msg91')
export class Msg91WebhookController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Post(':channel')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'MSG91 delivery report for sms, email or whatsapp (?tenant=&token=)' })
  report(@Param() p: Msg91WebhookChannelDto, @Query() q: Msg91WebhookQueryDto, @Body() payload: unknown, @Req() req: { id?: string }) {
    const ctx = { tenantId: q.tenant, actor: SYSTEM_ACTORS.webhook, roles: [], correlationId: req.id ?? randomUUID() };
    return this.rpc.call('jtd-dispatcher', 'jtd.webhooks.msg91', ctx, { channel: p.channel, tenant: q.tenant, token: q.token, payload });
  }
}
