import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/api';
import { keys } from '../api/query-keys';
import { formatDateTime } from '../components/format';
import { ErrorText, QueryState } from '../components/query-state';
import { usePageTitle } from '../components/page-title';

/** The signed-in person's in-app notifications (channel `inapp` of the JTD dispatcher), arriving live. */
export function InboxPage() {
  usePageTitle('Inbox');
  const queryClient = useQueryClient();
  const inbox = useInfiniteQuery({
    queryKey: [...keys.inbox(), 'all'],
    queryFn: ({ pageParam }) => unwrap(api.GET('/inbox', { params: { query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const read = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/inbox/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.inbox() }),
  });
  return (
    <>
      <h1>Inbox</h1>
      <ErrorText error={read.error} />
      <QueryState query={inbox} what="your inbox">
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">Nothing for you yet.</p>;
          return (
            <ul className="plain-list">
              {items.map((item) => (
                <li key={item.id} className={`card inbox-item${item.isRead ? ' read' : ''}`}>
                  <div className="section-head">
                    <h2 className="h3">{item.title}</h2>
                    {!item.isRead && (
                      <button type="button" onClick={() => read.mutate(item.id)} disabled={read.isPending}>
                        Mark read
                      </button>
                    )}
                  </div>
                  <p>{item.body}</p>
                  <p className="muted small">
                    {formatDateTime(item.createdAt)}
                    {item.isRead ? ` · read ${formatDateTime(item.readAt)}` : ' · unread'}
                  </p>
                </li>
              ))}
            </ul>
          );
        }}
      </QueryState>
    </>
  );
}
