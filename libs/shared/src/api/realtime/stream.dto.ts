import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Describe } from '../../validation/decorators';

/** What a client may subscribe to (`?topics=`), and the `event:` name of the messages of each. */
export const STREAM_TOPICS = {
  events: 'event',
  contracts: 'contract',
  tickets: 'ticket',
  appointments: 'appointment',
  jobs: 'job',
  inbox: 'inbox',
} as const;
export type StreamTopicName = keyof typeof STREAM_TOPICS;
/** The `event:` of a message (and its `topic` field). */
export type StreamTopic = (typeof STREAM_TOPICS)[StreamTopicName];
export const STREAM_MESSAGE_TOPICS = Object.values(STREAM_TOPICS) as StreamTopic[];

/** Why a stream says `event: reset` (the client refetches what it shows). */
export const STREAM_RESET_REASONS = ['unknown-id', 'too-old', 'slow-client', 'broker-reconnected'] as const;

const TOPIC = Object.keys(STREAM_TOPICS).join('|');

/** `GET /v1/stream`. The token may also come as `?access_token=` (not a field: the gateway reads and hides it). */
export class StreamQuery {
  @IsOptional()
  @Matches(new RegExp(`^(${TOPIC})(,(${TOPIC}))*$`), { message: `topics must be a comma-separated list of ${Object.keys(STREAM_TOPICS).join(', ')}` })
  @MaxLength(200)
  @Describe('Comma-separated topics; absent: every topic the caller’s roles may read', 'tickets,appointments,inbox')
  topics?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]+$/, { message: 'lastEventId must be visible ASCII characters' })
  @MaxLength(200)
  @Describe('Resume after this message id, for reconnections made by hand (the `Last-Event-ID` header wins)')
  lastEventId?: string;
}

/** Small, safe facts about the object that changed; which ones depend on the topic and the change. */
export class StreamSummary {
  @IsOptional() @IsString() @Describe('The status after the change (a status code of the tenant’s flow)') status?: string;
  @IsOptional() @IsString() previousStatus?: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() @Describe('Contracts', 'AMC-2027-001') contractNumber?: string;
  @IsOptional() @IsString() @Describe('Tickets', 'TKT-2027-00001') ticketNumber?: string;
  @IsOptional() @IsString() @Describe('Contract events', 'TSK-00042') taskId?: string;
  @IsOptional() @IsString() @Describe('Contract events: service, spare_part or billing') eventType?: string;
  @IsOptional() @IsISO8601() @Describe('Contract events') scheduledDate?: string;
  @IsOptional() @IsISO8601() @Describe('Appointments') startAt?: string;
  @IsOptional() @IsISO8601() @Describe('Appointments') endAt?: string;
  @IsOptional() @IsUUID() contractId?: string;
  @IsOptional() @IsUUID() ticketId?: string;
  @IsOptional() @IsUUID() appointmentId?: string;
  @IsOptional() @IsUUID() eventId?: string;
  @IsOptional() @IsUUID() @Describe('Inbox items: the job that delivered it') jtdId?: string;
  @IsOptional() @IsString() @Describe('Jobs: email, sms, whatsapp, push or inapp') channel?: string;
  @IsOptional() @IsString() @Describe('Jobs') sourceType?: string;
  @IsOptional() @IsInt() @Describe('Contracts: events materialised at activation') totalEvents?: number;
}

/** The `data` of one stream message: one object changed (several changes within the coalescing window). */
export class StreamMessage {
  @IsIn(STREAM_MESSAGE_TOPICS) @Describe('The same as the message’s `event:`') topic!: string;
  @IsUUID() @Describe('The object that changed (contract event, contract, ticket, appointment, job or inbox item)') id!: string;
  @IsArray()
  @IsString({ each: true })
  @Describe('The domain event types of the changes, in order', ['SERVICE_TICKET_CREATED', 'SERVICE_TICKET_STATUS_CHANGED'])
  types!: string[];
  @IsISO8601() @Describe('When the last of the changes happened') at!: string;
  @ValidateNested() @Type(() => StreamSummary) summary!: StreamSummary;
}
