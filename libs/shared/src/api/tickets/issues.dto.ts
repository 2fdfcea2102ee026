import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ISSUE_SEVERITIES, ISSUE_TYPES } from './tickets.vocabulary';

/** An issue on a ticket (`id` = ticket) or an appointment (`id` = appointment), per the route. */
export class ReportIssueDto {
  @IsUUID()
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
  immediateAction?: string;

  /** The contract event the issue is about, when it is one of the visit's. */
  @IsOptional()
  @IsUUID()
  eventId?: string;
}

export class ListIssuesDto {
  @IsUUID()
  id!: string;
}
