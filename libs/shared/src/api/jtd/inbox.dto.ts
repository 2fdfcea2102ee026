import { IsBoolean, IsISO8601, IsObject, IsOptional, IsString, IsUUID } from 'class-validator';
import { PageQuery } from '../../contract/page';
import { Describe, Nullable, QueryBoolean } from '../../validation/decorators';

/** `GET /v1/inbox`. */
export class ListInboxQuery extends PageQuery {
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  @Describe('true: only unread notifications; false: only read ones; absent: all')
  unread?: boolean;
}

/** A notification named in the path. */
export class InboxItemRef {
  @IsUUID()
  @Describe('The notification')
  id!: string;
}

export class InboxItemView {
  @IsUUID() id!: string;
  @IsString() title!: string;
  @IsString() body!: string;
  @IsString() @Describe('info, success, warning, error…') type!: string;
  @Nullable() @IsString() actionUrl!: string | null;
  @IsObject() metadata!: Record<string, unknown>;
  @IsBoolean() isRead!: boolean;
  @Nullable() @IsISO8601() readAt!: string | null;
  @Nullable() @IsUUID() @Describe('The job that delivered it') jtdId!: string | null;
  @IsISO8601() createdAt!: string;
}
