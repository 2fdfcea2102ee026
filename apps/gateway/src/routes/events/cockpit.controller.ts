import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CockpitQuery } from '@app/shared/api/events/contract-events.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';

@ApiTags('events')
@Controller('cockpit')
export class CockpitController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @ApiOperation({ summary: 'Per event type: counts by status bucket (upcoming, due, overdue, in_progress, done, cancelled), overdue and next-up lists' })
  get(@Query() query: CockpitQuery, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.cockpit.get', ctx, query);
  }
}
