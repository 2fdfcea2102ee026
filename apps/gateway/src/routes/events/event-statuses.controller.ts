import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventTypeParams, ReplaceEventStatusesBody } from '@app/shared/api/events/event-status-settings.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { ApiJsonBody } from '../tickets/openapi-body';

/** The tenant's status flows of contract events (statuses, transitions, due lead days, sub-task gates). */
@ApiTags('settings')
@Controller('settings/event-statuses')
export class EventStatusesController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get(':eventType')
  @ApiOperation({ summary: "The tenant's flow of an event type (system defaults when it has no override; isTenantOverride says which)" })
  get(@Param() p: EventTypeParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.event-statuses.get', ctx, p);
  }

  @Put(':eventType')
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the flow: exactly one initial status, transitions between existing statuses' })
  @ApiJsonBody(ReplaceEventStatusesBody)
  replace(@Param() p: EventTypeParams, @Body() body: ReplaceEventStatusesBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.event-statuses.replace', ctx, { ...body, eventType: p.eventType });
  }

  @Delete(':eventType')
  @Roles('admin')
  @ApiOperation({ summary: 'Drop the override: the system defaults apply again' })
  reset(@Param() p: EventTypeParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.event-statuses.reset', ctx, p);
  }
}
