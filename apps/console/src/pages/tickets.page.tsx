import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/api';
import { keys } from '../api/query-keys';
import { formatDateTime } from '../components/format';
import { QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { usePageTitle } from '../components/page-title';

/** Service tickets of the tenant (the visits people carry out), newest first. */
export function TicketsPage() {
  usePageTitle('Tickets');
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const statusId = useId();
  const flow = useQuery({ queryKey: ['settings', 'ticket-statuses'], queryFn: () => unwrap(api.GET('/settings/ticket-statuses')), staleTime: 5 * 60_000 });
  const statuses = flow.data?.statuses ?? [];
  const labelOf = (code: string) => statuses.find((s) => s.code === code);
  const tickets = useInfiniteQuery({
    queryKey: keys.tickets({ status }),
    queryFn: ({ pageParam }) => unwrap(api.GET('/tickets', { params: { query: { status: status || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  return (
    <>
      <h1>Tickets</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={status}
            onChange={(e) =>
              setParams((p) => {
                if (e.target.value) p.set('status', e.target.value);
                else p.delete('status');
                return p;
              })
            }
          >
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Link to="/calendar" className="push-right">
          Calendar
        </Link>
      </div>
      <QueryState query={tickets} what="tickets">
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">No tickets.</p>;
          return (
            <div className="table-scroll card">
              <table>
                <caption className="visually-hidden">Tickets</caption>
                <thead>
                  <tr>
                    <th scope="col">Ticket</th>
                    <th scope="col">Status</th>
                    <th scope="col">Scheduled</th>
                    <th scope="col">People</th>
                    <th scope="col" className="num">
                      Events
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((t) => (
                    <tr key={t.id}>
                      <td>
                        <Link to={`/tickets/${t.id}`}>{t.ticketNumber}</Link>
                      </td>
                      <td>
                        <StatusBadge status={t.status} label={labelOf(t.status)?.label} category={labelOf(t.status)?.category} />
                      </td>
                      <td className="nowrap">{formatDateTime(t.scheduledFor)}</td>
                      <td>{t.assignees.map((a) => a.name ?? a.userId.slice(0, 8)).join(', ') || '—'}</td>
                      <td className="num">{t.eventIds.length}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryState>
      {tickets.hasNextPage && (
        <button type="button" onClick={() => void tickets.fetchNextPage()} disabled={tickets.isFetchingNextPage}>
          Show more
        </button>
      )}
    </>
  );
}
