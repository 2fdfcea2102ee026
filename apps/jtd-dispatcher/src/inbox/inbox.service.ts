import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '@app/shared/context/request-context';
import { DomainError } from '@app/shared/errors/domain-error';
import { iso } from '../jobs/job-row';

const COLUMNS = `id, title, body, notification_type AS type, action_url AS "actionUrl", metadata, is_read AS "isRead", read_at AS "readAt",
  source_jtd_id AS "jtdId", created_at AS "createdAt"`;

/** The caller's own in-app notifications (tenant and user scoped). */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ctx: RequestContext, q: { unreadOnly?: boolean; limit?: number }) {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM inapp_notifications WHERE tenant_id = $1 AND user_id = $2 AND ($3::boolean IS NOT TRUE OR NOT is_read)
       ORDER BY created_at DESC LIMIT $4`,
      [ctx.tenantId, ctx.actor.id, q.unreadOnly ?? false, q.limit ?? 50],
    );
    return { items: rows.map(view), nextCursor: null };
  }

  async markRead(ctx: RequestContext, id: string) {
    const res = await this.dataSource.query(
      `UPDATE inapp_notifications SET is_read = true, read_at = COALESCE(read_at, now()) WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING ${COLUMNS}`,
      [id, ctx.tenantId, ctx.actor.id],
    );
    if (res[0].length === 0) throw DomainError.notFound('notification', id);
    return view(res[0][0]);
  }
}

function view(r: any) {
  return { ...r, readAt: iso(r.readAt), createdAt: iso(r.createdAt) };
}
