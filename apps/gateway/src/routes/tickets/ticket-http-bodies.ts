import { OmitType } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Type } from 'class-transformer';
import {
  AcceptAssignmentDto,
  CheckInDto,
  CheckOutDto,
  DeclineAssignmentDto,
  EnRouteDto,
  NoShowDto,
  OfferAssignmentDto,
  RescheduleAppointmentDto,
  TransitionAppointmentDto,
} from '@app/shared/api/tickets/appointments.dto';
import { EvidenceFieldsDto, ReviewEvidenceDto, VerifyOtpDto } from '@app/shared/api/tickets/evidence.dto';
import { ReportIssueDto } from '@app/shared/api/tickets/issues.dto';
import { AddTicketEventsDto, TransitionTicketDto } from '@app/shared/api/tickets/tickets.dto';

/*
 * HTTP bodies: the RPC DTOs of libs/shared/src/api/tickets without the fields that come from the path.
 * The controller merges path params back in, and the service validates the merged DTO again.
 */
export class AddTicketEventsBody extends OmitType(AddTicketEventsDto, ['id'] as const) {}
export class TransitionTicketBody extends OmitType(TransitionTicketDto, ['id'] as const) {}
export class EvidenceFieldsBody extends OmitType(EvidenceFieldsDto, ['id'] as const) {}
export class ReviewEvidenceBody extends OmitType(ReviewEvidenceDto, ['id', 'evidenceId'] as const) {}
export class VerifyOtpBody extends OmitType(VerifyOtpDto, ['id', 'evidenceId'] as const) {}
export class ReportIssueBody extends OmitType(ReportIssueDto, ['id'] as const) {}
export class TransitionAppointmentBody extends OmitType(TransitionAppointmentDto, ['id'] as const) {}
export class RescheduleAppointmentBody extends OmitType(RescheduleAppointmentDto, ['id'] as const) {}
export class OfferAssignmentBody extends OmitType(OfferAssignmentDto, ['id'] as const) {}
export class AcceptAssignmentBody extends OmitType(AcceptAssignmentDto, ['id', 'userId'] as const) {}
export class DeclineAssignmentBody extends OmitType(DeclineAssignmentDto, ['id', 'userId'] as const) {}
export class EnRouteBody extends OmitType(EnRouteDto, ['id', 'userId'] as const) {}
export class NoShowBody extends OmitType(NoShowDto, ['id', 'userId'] as const) {}
export class CheckInBody extends OmitType(CheckInDto, ['id'] as const) {}
export class CheckOutBody extends OmitType(CheckOutDto, ['id'] as const) {}

export class VersionQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
