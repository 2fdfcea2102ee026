import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { JtdIdDto, ListInboxDto } from '@app/shared/api/jtd/jtd.dto';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @ApiOperation({ summary: "The caller's in-app notifications" })
  list(@Ctx() ctx: RequestContext, @Query() q: ListInboxDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.inbox.list', ctx, q);
  }

  @Post(':id/read')
  @HttpCode(200)
  read(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.inbox.read', ctx, { id: p.id });
  }
}
