import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { CreateJtdTemplateDto, JtdIdDto, ListTemplatesDto, UpdateJtdTemplateBodyDto } from '@app/shared/api/jtd/jtd.dto';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

@ApiTags('jtd')
@Controller('jtd/templates')
export class JtdTemplatesController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @Roles('admin', 'agent', 'viewer')
  @ApiOperation({ summary: 'Tenant and system templates' })
  list(@Ctx() ctx: RequestContext, @Query() q: ListTemplatesDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.templates.list', ctx, q);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'viewer')
  get(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.templates.get', ctx, { id: p.id });
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a tenant template (overrides the system one with the same key and channel)' })
  create(@Ctx() ctx: RequestContext, @Body() body: CreateJtdTemplateDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.templates.create', ctx, body);
  }

  @Put(':id')
  @Roles('admin')
  update(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto, @Body() body: UpdateJtdTemplateBodyDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.templates.update', ctx, { ...body, id: p.id });
  }
}
