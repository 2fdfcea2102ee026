import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '@app/shared/context/request-context';
import { EvidenceRefDto } from '@app/shared/api/tickets/evidence.dto';
import { ListIssuesDto } from '@app/shared/api/tickets/issues.dto';
import { CreateTicketDto, ListTicketsDto, TicketIdDto } from '@app/shared/api/tickets/tickets.dto';
import { validateDto } from '@app/shared/validation/validate-dto';
import { IsUUID } from 'class-validator';
import { Roles } from '../../auth/roles.decorator';
import { Ctx } from '../../http/request-context.decorator';
import { ServiceRpc } from '../../rpc/service-rpc';
import { EVIDENCE_VIEW, ISSUE_VIEW, pageOf, TICKET_DETAIL_VIEW, TICKET_VIEW } from './tickets-openapi-schemas';
import { ApiJsonBody, ApiParamsFrom, ApiQueryFrom, ApiResult, jsonSchemaOf } from './openapi-body';
import { readEvidenceUpload } from './evidence-upload';
import {
  AddTicketEventsBody,
  EvidenceFieldsBody,
  ReportIssueBody,
  ReviewEvidenceBody,
  TransitionTicketBody,
  VerifyOtpBody,
  VersionQuery,
} from './ticket-http-bodies';

class TicketEventParams extends TicketIdDto {
  @IsUUID()
  eventId!: string;
}

/** Service tickets, their events, evidence and issues (tickets service over RPC). */
@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly rpc: ServiceRpc) {}

  @ApiResult(201, TICKET_VIEW, 'The ticket')
  @Post()
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Open a service ticket (TKT-<year>-<n>) for service/spare_part events of one contract' })
  @ApiJsonBody(CreateTicketDto)
  create(@Body() body: CreateTicketDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.create', ctx, body);
  }

  @ApiQueryFrom(ListTicketsDto)
  @ApiResult(200, pageOf(TICKET_VIEW))
  @Get()
  @ApiOperation({ summary: 'List tickets (filters contractId, status, assigneeId; cursor pagination)' })
  list(@Query() query: ListTicketsDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.list', ctx, query);
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(200, TICKET_DETAIL_VIEW)
  @Get(':id')
  @ApiOperation({ summary: 'One ticket with its events, evidence and status history' })
  get(@Param() p: TicketIdDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.get', ctx, p);
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(200, TICKET_VIEW)
  @Post(':id/events')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Add events of the same contract to an open ticket' })
  @ApiJsonBody(AddTicketEventsBody)
  addEvents(@Param() p: TicketIdDto, @Body() body: AddTicketEventsBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.add-events', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(TicketEventParams)
  @ApiQueryFrom(VersionQuery)
  @ApiResult(200, TICKET_VIEW)
  @Delete(':id/events/:eventId')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Take an event off an open ticket' })
  removeEvent(@Param() p: TicketEventParams, @Query() q: VersionQuery, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.remove-event', ctx, { ...q, id: p.id, eventId: p.eventId });
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(200, TICKET_VIEW)
  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Move a ticket along its (tenant-configurable) status flow; completing it completes the linked events' })
  @ApiJsonBody(TransitionTicketBody)
  transition(@Param() p: TicketIdDto, @Body() body: TransitionTicketBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.tickets.transition', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(201, EVIDENCE_VIEW)
  @Post(':id/evidence')
  @Roles('admin', 'agent', 'technician')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: jsonSchemaOf(EvidenceFieldsBody), description: 'JSON, or multipart with the same fields plus one `file` (photo, document, signature); formData and otp as JSON strings' })
  @ApiOperation({ summary: 'Record evidence: photo, document, signature (file), form_data, note, or otp (code sent to the customer)' })
  async recordEvidence(@Param() p: TicketIdDto, @Req() req: FastifyRequest, @Ctx() ctx: RequestContext) {
    const upload = (req as any).isMultipart?.() ? await readEvidenceUpload(req) : { fields: (req.body ?? {}) as Record<string, unknown>, file: undefined };
    const fields = await validateDto(EvidenceFieldsBody, upload.fields);
    return this.rpc.call('tickets', 'tickets.evidence.record', ctx, { ...fields, id: p.id, ...(upload.file ? { file: upload.file } : {}) });
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(200, pageOf(EVIDENCE_VIEW))
  @Get(':id/evidence')
  @ApiOperation({ summary: 'Evidence of a ticket (OTP codes are never returned)' })
  listEvidence(@Param() p: TicketIdDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.evidence.list', ctx, p);
  }

  @ApiParamsFrom(EvidenceRefDto)
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file bytes, with its content type and X-Content-SHA256' })
  @Get(':id/evidence/:evidenceId/file')
  @ApiOperation({ summary: 'Download the file of photo, document or signature evidence' })
  async evidenceFile(@Param() p: EvidenceRefDto, @Ctx() ctx: RequestContext, @Res() reply: FastifyReply) {
    const file = await this.rpc.call<{ fileName: string; contentType: string; sha256: string; contentBase64: string }>('tickets', 'tickets.evidence.file', ctx, p);
    const safeName = file.fileName.replace(/[^\w.\- ]/g, '_');
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${safeName}"`)
      .header('x-content-sha256', file.sha256)
      .send(Buffer.from(file.contentBase64, 'base64'));
  }

  @ApiParamsFrom(EvidenceRefDto)
  @ApiResult(200, EVIDENCE_VIEW)
  @Patch(':id/evidence/:evidenceId')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'Review evidence: verified or rejected (reason required)' })
  @ApiJsonBody(ReviewEvidenceBody)
  reviewEvidence(@Param() p: EvidenceRefDto, @Body() body: ReviewEvidenceBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.evidence.review', ctx, { ...body, id: p.id, evidenceId: p.evidenceId });
  }

  @ApiParamsFrom(EvidenceRefDto)
  @ApiResult(200, EVIDENCE_VIEW)
  @Post(':id/evidence/:evidenceId/verify-otp')
  @HttpCode(200)
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Verify the OTP the customer received; locked after too many wrong codes' })
  @ApiJsonBody(VerifyOtpBody)
  verifyOtp(@Param() p: EvidenceRefDto, @Body() body: VerifyOtpBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.evidence.verify-otp', ctx, { ...body, id: p.id, evidenceId: p.evidenceId });
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(201, ISSUE_VIEW)
  @Post(':id/issues')
  @Roles('admin', 'agent', 'technician')
  @ApiOperation({ summary: 'Report an issue on a ticket' })
  @ApiJsonBody(ReportIssueBody)
  reportIssue(@Param() p: TicketIdDto, @Body() body: ReportIssueBody, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.issues.report-on-ticket', ctx, { ...body, id: p.id });
  }

  @ApiParamsFrom(TicketIdDto)
  @ApiResult(200, pageOf(ISSUE_VIEW))
  @Get(':id/issues')
  @ApiOperation({ summary: 'Issues reported on a ticket' })
  listIssues(@Param() p: ListIssuesDto, @Ctx() ctx: RequestContext) {
    return this.rpc.call('tickets', 'tickets.issues.list-on-ticket', ctx, p);
  }
}
