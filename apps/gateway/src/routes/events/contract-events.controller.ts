import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParams } from '@app/shared/api/events/common.dto';
import {
  CreateEventTaskBody,
  EventAuditQuery,
  EventTaskParams,
  ListEventsQuery,
  RecordPaymentBody,
  SetAssigneesBody,
  TransitionEventBody,
  UpdateEventBody,
  UpdateEventTaskBody,
} from '@app/shared/api/events/contract-events.dto';
import type { RequestContext } from '@app/shared/context/request-context';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { ApiJsonBody } from '../tickets/openapi-body';

/** Contract events: list, one, reschedule, status moves, people, sub-tasks, audit, payments. */
@ApiTags('events')
@Controller('events')
export class ContractEventsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @Get()
  @ApiOperation({ summary: 'Events ordered by scheduled date (filters contractId, type, status, assigneeId, from, to; cursor pagination)' })
  list(@Query() query: ListEventsQuery, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.list', ctx, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event with its assignees and sub-tasks' })
  get(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.get', ctx, p);
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Reschedule (needs a reason; originalDate is kept) and/or edit notes' })
  @ApiJsonBody(UpdateEventBody)
  update(@Param() p: IdParams, @Body() body: UpdateEventBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.update', ctx, { ...body, id: p.id });
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: "Move the event to another status of the tenant's flow (422 TRANSITION_NOT_ALLOWED / REASON_REQUIRED / EVIDENCE_REQUIRED, 409 stale version)" })
  @ApiJsonBody(TransitionEventBody)
  transition(@Param() p: IdParams, @Body() body: TransitionEventBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.transition', ctx, { ...body, id: p.id });
  }

  @Get(':id/transitions')
  @ApiOperation({ summary: 'The moves allowed from the current status for this tenant, with what each needs' })
  transitions(@Param() p: IdParams, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.transitions', ctx, p);
  }

  @Put(':id/assignees')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Replace the people on the event: { assignees: [{ userId, name?, role: assignee | account_manager | observer }] }' })
  @ApiJsonBody(SetAssigneesBody)
  assignees(@Param() p: IdParams, @Body() body: SetAssigneesBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.set-assignees', ctx, { ...body, id: p.id });
  }

  @Post(':id/tasks')
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Add a sub-task (checklist item, billing todo); required ones gate completion where the flow says so' })
  @ApiJsonBody(CreateEventTaskBody)
  createTask(@Param() p: IdParams, @Body() body: CreateEventTaskBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.create-task', ctx, { ...body, id: p.id });
  }

  @Patch(':id/tasks/:taskId')
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Edit or tick off a sub-task' })
  @ApiJsonBody(UpdateEventTaskBody)
  updateTask(@Param() p: EventTaskParams, @Body() body: UpdateEventTaskBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.update-task', ctx, { ...body, id: p.id, taskId: p.taskId });
  }

  @Get(':id/audit')
  @ApiOperation({ summary: 'Every change: field, from, to, actor, source, reason, at, timeInPreviousStatus' })
  audit(@Param() p: IdParams, @Query() query: EventAuditQuery, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.audit', ctx, { ...query, id: p.id });
  }

  @Post(':id/payments')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Record money received on a billing event: settles it to partial_payment or paid' })
  @ApiJsonBody(RecordPaymentBody)
  payment(@Param() p: IdParams, @Body() body: RecordPaymentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('events', 'events.events.record-payment', ctx, { ...body, id: p.id });
  }
}
