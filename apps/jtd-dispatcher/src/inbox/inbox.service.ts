import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InboxItemView, ListInboxQuery } from '@app/shared/api/jtd/inbox.dto';
import { decodeCursor } from '@app/shared/contract/cursor';
import { Page } from '@app/shared/contract/page';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { iso } from '../jobs/job-row';
import { cursorTime, pageSize, toPage } from '../keyset-page';

const COLUMNS = `id, title, body, notification_type AS type, action_url AS "actionUrl", metadata, is_read AS "isRead", read_at AS "readAt",
  source_jtd_id AS "jtdId", created_at AS "createdAt"`;

interface InboxRow {
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

/** The caller's own in-app notifications (tenant and user scoped). */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, keyed on (created_at, id). */
  async list(ctx: RequestContext, q: ListInboxQuery): Promise<Page<InboxItemView>> {
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const size = pageSize(q.limit);
    const rows: Array<InboxRow & { cursorAt: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${cursorTime('created_at')} AS "cursorAt" FROM inapp_notifications
       WHERE tenant_id = $1 AND user_id = $2 AND ($3::boolean IS NULL OR is_read = NOT $3)
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [ctx.tenantId, ctx.actor.id, q.unread ?? null, after?.[0] ?? null, after?.[1] ?? null, size + 1],
    );
    return toPage(rows, size, inboxItemView, (r) => [r.cursorAt, r.id]);
  }

  async markRead(ctx: RequestContext, id: string): Promise<InboxItemView> {
    const res = await this.dataSource.query(
      `UPDATE inapp_notifications SET is_read = true, read_at = COALESCE(read_at, now()) WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING ${COLUMNS}`,
      [id, ctx.tenantId, ctx.actor.id],
    );
    if (res[0].length === 0) throw DomainError.notFound('notification', id);
    return inboxItemView(res[0][0]);
  }
}

function inboxItemView(r: InboxRow): InboxItemView {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    type: r.type,
    actionUrl: r.actionUrl,
    metadata: r.metadata,
    isRead: r.isRead,
    readAt: iso(r.readAt),
    jtdId: r.jtdId,
    createdAt: iso(r.createdAt),
  };
}
