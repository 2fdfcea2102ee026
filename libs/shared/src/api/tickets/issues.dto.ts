import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../contract/page';
import { Describe, Nullable, Timestamp } from '../../validation/decorators';
import { TicketPersonView } from './common.views';
import { ISSUE_SEVERITIES, ISSUE_TYPES } from './tickets.vocabulary';

/** `POST /v1/tickets/{id}/issues` and `POST /v1/appointments/{id}/issues`: `id` is the ticket or the visit. */
export class ReportIssueDto {
  @IsUUID()
  @Describe('The ticket or the appointment, per the path')
  id!: string;

  @IsIn(ISSUE_TYPES)
  type!: string;

  @IsIn(ISSUE_SEVERITIES)
  severity!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @Describe('What was done on the spot (the seed’s name for it)')
  immediateActionTaken?: string;

  @IsOptional()
  @IsUUID()
  @Describe('The contract event of the visit it is about')
  eventId?: string;
}

/** `GET /v1/tickets/{id}/issues` and `GET /v1/appointments/{id}/issues`: newest first. */
export class ListIssuesQuery extends PageQuery {
  @IsUUID()
  @Describe('The ticket or the appointment, per the path')
  id!: string;
}

export class IssueReportView {
  @IsUUID()
  id!: string;

  @IsUUID()
  contractId!: string;

  @Nullable()
  @IsUUID()
  ticketId!: string | null;

  @Nullable()
  @IsUUID()
  appointmentId!: string | null;

  @Nullable()
  @IsUUID()
  eventId!: string | null;

  @IsIn(ISSUE_TYPES)
  type!: string;

  @IsIn(ISSUE_SEVERITIES)
  severity!: string;

  @IsString()
  description!: string;

  @Nullable()
  @IsString()
  immediateActionTaken!: string | null;

  @ValidateNested()
  @Type(() => TicketPersonView)
  reportedBy!: TicketPersonView;

  @Timestamp()
  reportedAt!: string;
}
