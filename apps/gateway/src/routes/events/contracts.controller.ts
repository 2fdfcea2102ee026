import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams } from '@app/shared/api/events/common.dto';
import {
  ApproveContractBody,
  CancelContractBody,
  CreateContractDto,
  CreateOnDemandEventBody,
  ListContractsQuery,
  RejectContractBody,
  RequestChangesBody,
  UpdateContractBody,
} from '@app/shared/api/events/contracts.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { ApiJsonBody } from '../tickets/openapi-body';

/** Contracts and bookings: drafts, review flow, activation, cancellation, spare-part balance, on-demand events. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Post()
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Draft a contract or booking with its promises (services, spare parts, billing)' })
  @ApiJsonBody(CreateContractDto)
  create(@Body() body: CreateContractDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.create', ctx, body);
  }

  @Get()
  @ApiOperation({ summary: 'Contracts, newest first (filter status; cursor pagination)' })
  list(@Query() query: ListContractsQuery, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.list', ctx, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contract with its event counts by type and status' })
  get(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.get', ctx, p);
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Edit a booking (promises only before activation); a change under review sets needsReapproval' })
  @ApiJsonBody(UpdateContractBody)
  update(@Param() p: IdParams, @Body() body: UpdateContractBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.update', ctx, { ...body, id: p.id });
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Submit (or resubmit after changes / an allowed rejection) for review' })
  submit(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.submit', ctx, p);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Resubmit after changes were requested or an allowed rejection (same as submit)' })
  resubmit(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.submit', ctx, p);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Approve a booking under review: it activates and its events materialise' })
  @ApiJsonBody(ApproveContractBody)
  approve(@Param() p: IdParams, @Body() body: ApproveContractBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.approve', ctx, { ...body, id: p.id });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reject a booking under review (reason, allowResubmission)' })
  @ApiJsonBody(RejectContractBody)
  reject(@Param() p: IdParams, @Body() body: RejectContractBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.reject', ctx, { ...body, id: p.id });
  }

  @Post(':id/request-changes')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Send a booking back with requested changes (field, reason, suggestedValue)' })
  @ApiJsonBody(RequestChangesBody)
  requestChanges(@Param() p: IdParams, @Body() body: RequestChangesBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.request-changes', ctx, { ...body, id: p.id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Cancel a booking or contract; its open events are cancelled and listed in affectedEventIds' })
  @ApiJsonBody(CancelContractBody)
  cancel(@Param() p: IdParams, @Body() body: CancelContractBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.cancel', ctx, { ...body, id: p.id });
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Activate a draft directly (no review); materialises its events; idempotent' })
  activate(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.activate', ctx, p);
  }

  @Get(':id/spare-parts')
  @ApiOperation({ summary: 'Spare-part balance per part: promisedQty, scheduledQty, completedQty, remainingQty, availableQty, unlimited' })
  spareParts(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.spare-parts', ctx, p);
  }

  @Post(':id/events')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'On-demand event: a spare part from the balance (unlimited or still available) or an ad-hoc service' })
  @ApiJsonBody(CreateOnDemandEventBody)
  createEvent(@Param() p: IdParams, @Body() body: CreateOnDemandEventBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.contracts.create-event', ctx, { ...body, id: p.id });
  }
}
