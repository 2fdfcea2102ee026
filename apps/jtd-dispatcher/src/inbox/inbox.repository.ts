import { Injectable } from '@nestjs/common';
import { cursorTime } from '@app/shared/contract/cursor';
import { Db, many, maybeOne, sql } from '@app/shared/db/sql';

export interface InboxRow {
  id: string;
  title: string;
  body: string;
  type: string;
  actionUrl: string | null;
  metadata: Record<string, unknown>;
  isRead: boolean;
  readAt: Date | null;
  jtdId: string | null;
  createdAt: Date;
}

export interface NewInboxItem {
  tenantId: string;
  userId: string;
  title: string;
  body: string;
  metadata: Record<string, unknown>;
  jobId: string;
}

const COLUMNS = sql.raw(`id, title, body, notification_type AS type, action_url AS "actionUrl", metadata, is_read AS "isRead", read_at AS "readAt",
  source_jtd_id AS "jtdId", created_at AS "createdAt"`);

/** In-app notifications (`inapp_notifications`): written by in-app jobs, read by their users. */
@Injectable()
export class InboxRepository {
  /** The user's notifications, newest delivered first, keyed on (created_at, id) (created_at is the delivery's time); `unread` filters on the read flag. */
  list(
    db: Db,
    tenantId: string,
    userId: string,
    unread: boolean | undefined,
    after: readonly [string, string] | undefined,
    limit: number,
  ): Promise<Array<InboxRow & { cursorAt: string }>> {
    return many(
      db,
      sql`SELECT ${COLUMNS}, ${sql.raw(cursorTime('created_at'))} AS "cursorAt" FROM inapp_notifications
          WHERE tenant_id = ${tenantId} AND user_id = ${userId}
            ${unread !== undefined ? sql`AND is_read = ${!unread}` : sql.empty}
            ${after ? sql`AND (created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql.empty}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
  }

  /** Marks the user's notification read (the first read time is kept); null when it is not theirs. */
  markRead(tx: Db, tenantId: string, userId: string, id: string): Promise<InboxRow | null> {
    return maybeOne(
      tx,
      sql`UPDATE inapp_notifications SET is_read = true, read_at = COALESCE(read_at, now())
          WHERE id = ${id} AND tenant_id = ${tenantId} AND user_id = ${userId} RETURNING ${COLUMNS}`,
    );
  }

  /** The job's notification, once: null when the job delivered it already (an in-app send is idempotent by job id). */
  async insertForJob(tx: Db, item: NewInboxItem): Promise<string | null> {
    const row = await maybeOne<{ id: string }>(
      tx,
      sql`INSERT INTO inapp_notifications (tenant_id, user_id, title, body, metadata, source_jtd_id)
          VALUES (${item.tenantId}, ${item.userId}, ${item.title}, ${item.body}, ${sql.json(item.metadata)}, ${item.jobId})
          ON CONFLICT (source_jtd_id) DO NOTHING RETURNING id`,
    );
    return row?.id ?? null;
  }

  /** The notification a job delivered. */
  async idOfJob(db: Db, jobId: string): Promise<string> {
    return (await maybeOne<{ id: string }>(db, sql`SELECT id FROM inapp_notifications WHERE source_jtd_id = ${jobId}`))!.id;
  }
}
