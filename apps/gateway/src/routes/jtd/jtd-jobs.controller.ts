import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { CancelJtdBodyDto, CreateJtdDto, JtdIdDto, ListJtdDto, TransitionJtdBodyDto } from '@app/shared/api/jtd/jtd.dto';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

@ApiTags('jtd')
@Controller('jtd')
export class JtdJobsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Post()
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Create jobs to do: one record per resolved channel' })
  create(@Ctx() ctx: RequestContext, @Body() body: CreateJtdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.create', ctx, body);
  }

  @Get()
  @Roles('admin', 'agent', 'viewer')
  @ApiOperation({ summary: 'List jobs (filter by status, channel, event type, source)' })
  list(@Ctx() ctx: RequestContext, @Query() query: ListJtdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.list', ctx, query);
  }

  @Get('sandbox')
  @Roles('admin')
  @ApiOperation({ summary: 'What test-mode jobs would have sent' })
  sandbox(@Ctx() ctx: RequestContext) {
    return this.rpc.call('jtd-dispatcher', 'jtd.sandbox.list', ctx, {});
  }

  @Get(':id')
  @Roles('admin', 'agent', 'viewer')
  @ApiOperation({ summary: 'One job with its attempts' })
  get(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.get', ctx, { id: p.id });
  }

  @Get(':id/history')
  @Roles('admin', 'agent', 'viewer')
  @ApiOperation({ summary: 'Status history: from, to, duration, performer, validity' })
  history(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.history', ctx, { id: p.id });
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Move a job (soft-enforced: an undefined move is made and flagged)' })
  transition(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto, @Body() body: TransitionJtdBodyDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.transition', ctx, { ...body, id: p.id });
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Send a failed job again' })
  retry(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.retry', ctx, { id: p.id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Cancel a job that has not been sent' })
  cancel(@Ctx() ctx: RequestContext, @Param() p: JtdIdDto, @Body() body: CancelJtdBodyDto) {
    return this.rpc.call('jtd-dispatcher', 'jtd.jobs.cancel', ctx, { ...body, id: p.id });
  }
}
