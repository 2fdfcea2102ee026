import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { PutStatusFlowDto } from '@app/shared/api/tickets/status-flow-settings.dto';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { STATUS_FLOW_VIEW } from './tickets-openapi-schemas';
import { ApiJsonBody, ApiResult } from './openapi-body';

/** The tenant's ticket and appointment status flows: GET falls back to system defaults, PUT replaces, DELETE resets. */
@ApiTags('settings')
@Controller('settings')
export class TicketSettingsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Get('ticket-statuses')
  @ApiOperation({ summary: "The tenant's ticket statuses and transitions" })
  getTicket(@Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.get-ticket-statuses', ctx, {});
  }

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Put('ticket-statuses')
  @Roles('admin')
  @ApiOperation({ summary: "Replace the tenant's ticket flow" })
  @ApiJsonBody(PutStatusFlowDto)
  putTicket(@Body() body: PutStatusFlowDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.put-ticket-statuses', ctx, body);
  }

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Delete('ticket-statuses')
  @Roles('admin')
  @ApiOperation({ summary: 'Back to the system default ticket flow' })
  resetTicket(@Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.reset-ticket-statuses', ctx, {});
  }

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Get('appointment-statuses')
  @ApiOperation({ summary: "The tenant's appointment statuses and transitions" })
  getAppointment(@Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.get-appointment-statuses', ctx, {});
  }

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Put('appointment-statuses')
  @Roles('admin')
  @ApiOperation({ summary: "Replace the tenant's appointment flow" })
  @ApiJsonBody(PutStatusFlowDto)
  putAppointment(@Body() body: PutStatusFlowDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.put-appointment-statuses', ctx, body);
  }

  @ApiResult(200, STATUS_FLOW_VIEW)
  @Delete('appointment-statuses')
  @Roles('admin')
  @ApiOperation({ summary: 'Back to the system default appointment flow' })
  resetAppointment(@Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.settings.reset-appointment-statuses', ctx, {});
  }
}
