import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '@app/shared/context/request-context';
import { AppointmentIdDto, AssignmentTargetDto, CreateAppointmentDto, ListAppointmentsDto } from '@app/shared/api/tickets/appointments.dto';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { APPOINTMENT_VIEW, ISSUE_VIEW, pageOf } from './tickets-openapi-schemas';
import { ApiJsonBody, ApiParamsFrom, ApiQueryFrom, ApiResult } from './openapi-body';
import {
  AcceptAssignmentBody,
  CheckInBody,
  CheckOutBody,
  DeclineAssignmentBody,
  EnRouteBody,
  NoShowBody,
  OfferAssignmentBody,
  ReportIssueBody,
  RescheduleAppointmentBody,
  TransitionAppointmentBody,
} from './ticket-http-bodies';

/** Appointments (visits), staff offers and field execution (tickets service over RPC). */
@ApiTags('appointments')
@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @ApiResult(201, APPOINTMENT_VIEW)
  @Post()
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Book a visit for a ticket and/or events; each assignee gets an offer (409 when double-booked)' })
  @ApiJsonBody(CreateAppointmentDto)
  create(@Body() body: CreateAppointmentDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.create', ctx, body);
  }

  @ApiQueryFrom(ListAppointmentsDto)
  @ApiResult(200, pageOf(APPOINTMENT_VIEW))
  @Get()
  @ApiOperation({ summary: 'Calendar: appointments overlapping from..to, by assignee and status' })
  list(@Query() query: ListAppointmentsDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.list', ctx, query);
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Get(':id')
  @ApiOperation({ summary: 'One appointment with its assignments and reschedule history' })
  get(@Param() p: AppointmentIdDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.get', ctx, p);
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Move an appointment along its flow (confirmed, reminded, cancelled, no_show …)' })
  @ApiJsonBody(TransitionAppointmentBody)
  transition(@Param() p: AppointmentIdDto, @Body() body: TransitionAppointmentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.transition', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/reschedule')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Move a visit to a new slot (history kept; 409 when an assignee is booked then)' })
  @ApiJsonBody(RescheduleAppointmentBody)
  reschedule(@Param() p: AppointmentIdDto, @Body() body: RescheduleAppointmentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.reschedule', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(201, APPOINTMENT_VIEW)
  @Post(':id/assignments')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Offer the visit to a technician, with a response deadline' })
  @ApiJsonBody(OfferAssignmentBody)
  offer(@Param() p: AppointmentIdDto, @Body() body: OfferAssignmentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.offer', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AssignmentTargetDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/assignments/:userId/accept')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Accept an offer' })
  @ApiJsonBody(AcceptAssignmentBody)
  accept(@Param() p: AssignmentTargetDto, @Body() body: AcceptAssignmentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.accept', ctx, { ...body, ...p });
  }

  @ApiParamsFrom(AssignmentTargetDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/assignments/:userId/decline')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Decline an offer (reason, available for future)' })
  @ApiJsonBody(DeclineAssignmentBody)
  decline(@Param() p: AssignmentTargetDto, @Body() body: DeclineAssignmentBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.decline', ctx, { ...body, ...p });
  }

  @ApiParamsFrom(AssignmentTargetDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/assignments/:userId/dispatch')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Dispatch the technician' })
  dispatch(@Param() p: AssignmentTargetDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.dispatch', ctx, { ...p });
  }

  @ApiParamsFrom(AssignmentTargetDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/assignments/:userId/en-route')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'The technician is on the way (optional eta)' })
  @ApiJsonBody(EnRouteBody)
  enRoute(@Param() p: AssignmentTargetDto, @Body() body: EnRouteBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.en-route', ctx, { ...body, ...p });
  }

  @ApiParamsFrom(AssignmentTargetDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/assignments/:userId/no-show')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Record that the technician did not show up (warning, penalty, removal)' })
  @ApiJsonBody(NoShowBody)
  noShow(@Param() p: AssignmentTargetDto, @Body() body: NoShowBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.no-show', ctx, { ...body, ...p });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/check-in')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Check in on site: lat, lng, accuracy, verification method (gps, qrcode, manager, other)' })
  @ApiJsonBody(CheckInBody)
  checkIn(@Param() p: AppointmentIdDto, @Body() body: CheckInBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.check-in', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, APPOINTMENT_VIEW)
  @Post(':id/check-out')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Check out (hours worked, defaults to the time since check-in)' })
  @ApiJsonBody(CheckOutBody)
  checkOut(@Param() p: AppointmentIdDto, @Body() body: CheckOutBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.appointments.check-out', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(201, ISSUE_VIEW)
  @Post(':id/issues')
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Report an issue on a visit' })
  @ApiJsonBody(ReportIssueBody)
  reportIssue(@Param() p: AppointmentIdDto, @Body() body: ReportIssueBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.issues.report-on-appointment', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(AppointmentIdDto)
  @ApiResult(200, pageOf(ISSUE_VIEW))
  @Get(':id/issues')
  @ApiOperation({ summary: 'Issues reported on a visit' })
  listIssues(@Param() p: AppointmentIdDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.issues.list-on-appointment', ctx, p);
  }
}
