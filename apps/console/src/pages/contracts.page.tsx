import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { operations } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { keys } from '../api/query-keys';
import { formatDate, humanize } from '../components/format';
import { QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { usePageTitle } from '../components/page-title';

type ContractStatus = NonNullable<NonNullable<operations['listContracts']['parameters']['query']>['status']>;
const STATUSES: ContractStatus[] = ['draft', 'pending_review', 'changes_requested', 'rejected', 'active', 'completed', 'expired', 'cancelled'];

/** Contracts of the tenant, searched by number, title or customer (`q`), filtered by status. */
export function ContractsPage() {
  usePageTitle('Contracts');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = (params.get('status') ?? '') as ContractStatus | '';
  const [text, setText] = useState(q);
  const searchId = useId();
  const statusId = useId();

  // Typing searches once it pauses; the address keeps the search (back and reload keep it).
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() === q) return;
      setParams(
        (p) => {
          if (text.trim()) p.set('q', text.trim());
          else p.delete('q');
          return p;
        },
        { replace: true },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);

  const contracts = useInfiniteQuery({
    queryKey: keys.contracts({ q, status }),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/contracts', { params: { query: { q: q || undefined, status: status || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

  return (
    <>
      <h1>Contracts</h1>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={searchId}>Search</label>
          <input id={searchId} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Number, title or customer" maxLength={100} />
        </div>
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
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <QueryState query={contracts} what="contracts">
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">No contracts{q ? ` match “${q}”` : ''}.</p>;
          return (
            <div className="table-scroll card">
              <table>
                <caption className="visually-hidden">Contracts</caption>
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Title</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Status</th>
                    <th scope="col">Period</th>
                    <th scope="col" className="num">
                      Events
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/contracts/${c.id}`}>{c.contractNumber}</Link>
                      </td>
                      <td>{c.title}</td>
                      <td>{c.customer.name}</td>
                      <td>
                        <StatusBadge status={c.status} />
                      </td>
                      <td className="nowrap">
                        {formatDate(c.startDate)} – {formatDate(c.endDate)}
                      </td>
                      <td className="num">{c.totalEvents}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryState>
      {contracts.hasNextPage && (
        <button type="button" onClick={() => void contracts.fetchNextPage()} disabled={contracts.isFetchingNextPage}>
          {contracts.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
