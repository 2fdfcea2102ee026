import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsString, IsUUID, ValidateNested } from 'class-validator';
import { Describe, Nullable, Timestamp } from '../../validation/decorators';
import { ActorView } from '../platform/messaging.dto';
import { TicketPersonView } from './common.views';
import { EvidenceView } from './evidence.dto';
import { TICKET_ASSIGNEE_ROLES, TICKET_EVENT_TYPES } from './tickets.vocabulary';

export class TicketAssigneeView {
  @IsUUID()
  userId!: string;

  @Nullable()
  @IsString()
  name!: string | null;

  @IsIn(TICKET_ASSIGNEE_ROLES)
  role!: string;
}

/** A service ticket: one contract, the service and spare_part events one visit executes. */
export class TicketView {
  @IsUUID()
  id!: string;

  @IsString()
  @Describe('Per tenant and year (the tenant’s local year)', 'TKT-2026-00001')
  ticketNumber!: string;

  @IsUUID()
  contractId!: string;

  @IsString()
  @Describe('A status of the tenant’s ticket flow', 'created')
  status!: string;

  @IsArray()
  @IsUUID('all', { each: true })
  eventIds!: string[];

  @ValidateNested({ each: true })
  @Type(() => TicketAssigneeView)
  assignees!: TicketAssigneeView[];

  @Nullable()
  @Timestamp()
  scheduledFor!: string | null;

  @Nullable()
  @Timestamp()
  @Describe('When it first went in_progress')
  startedAt!: string | null;

  @Nullable()
  @Timestamp()
  completedAt!: string | null;

  @Nullable()
  @Timestamp()
  cancelledAt!: string | null;

  @Nullable()
  @IsString()
  notes!: string | null;

  @ValidateNested()
  @Type(() => TicketPersonView)
  createdBy!: TicketPersonView;

  @IsInt()
  @Describe('Name it in writes that take a version; it grows with every change')
  version!: number;

  @Timestamp()
  createdAt!: string;

  @Timestamp()
  updatedAt!: string;
}

/** A contract event on a ticket, as the tickets service last heard of it from the events service. */
export class TicketEventView {
  @IsUUID()
  id!: string;

  @Nullable()
  @IsString()
  @Describe('The event’s TaskID', 'TSK-00001')
  taskId!: string | null;

  @IsIn(TICKET_EVENT_TYPES)
  type!: string;

  @Nullable()
  @IsString()
  title!: string | null;

  @IsString()
  status!: string;

  @Nullable()
  @Timestamp()
  scheduledDate!: string | null;
}

/** One status change of a ticket or an appointment. */
export class TicketStatusChangeView {
  @Nullable()
  @IsString()
  @Describe('null for the first status')
  from!: string | null;

  @IsString()
  to!: string;

  @Nullable()
  @IsString()
  reason!: string | null;

  @ValidateNested()
  @Type(() => ActorView)
  actor!: ActorView;

  @Timestamp()
  at!: string;

  @Nullable()
  @IsInt()
  @Describe('Time spent in the previous status')
  secondsInPrevious!: number | null;
}

/** `GET /v1/tickets/{id}`: the ticket with its events, evidence and status history. */
export class TicketDetailView extends TicketView {
  @ValidateNested({ each: true })
  @Type(() => TicketEventView)
  events!: TicketEventView[];

  @ValidateNested({ each: true })
  @Type(() => EvidenceView)
  @Describe('Oldest first; OTP codes are never shown')
  evidence!: EvidenceView[];

  @ValidateNested({ each: true })
  @Type(() => TicketStatusChangeView)
  history!: TicketStatusChangeView[];
}
