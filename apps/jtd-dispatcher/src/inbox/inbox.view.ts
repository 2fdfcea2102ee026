import { InboxItemView } from '@app/shared/api/jtd/inbox.dto';
import { iso } from '../jobs/job.view';
import { InboxRow } from './inbox.repository';

export function inboxItemView(r: InboxRow): InboxItemView {
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
