import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { EVENT_TYPES, useStatusInfo } from '../api/flows';
import { allPages } from '../api/pages';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { EVENT_TYPE_LABELS, formatDate, formatDateTime, formatDuration, humanize, monthOf } from '../components/format';
import { useNotify } from '../components/notices';
import { ErrorText, QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { useFocusOnArrival } from '../components/focus-on-arrival';
import { usePageTitle } from '../components/page-title';
import { MoveStatusDialog } from './move-status.dialog';

type ContractEvent = Schema<'ContractEventView'>;

/** A contract and its events as a timeline; the selected event (`?event=`) with its audit and its moves. */
export function ContractPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const selected = params.get('event') ?? undefined;
  const typeFilter = params.get('type') ?? '';
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const statusInfo = useStatusInfo();
  const filterName = useId();

  const contract = useQuery({ queryKey: keys.contract(id), queryFn: () => unwrap(api.GET('/contracts/{id}', { params: { path: { id } } })) });
  usePageTitle(contract.data ? `${contract.data.contractNumber}: ${contract.data.title}` : 'Contract');
  const events = useQuery({
    queryKey: keys.events({ contractId: id }),
    queryFn: () => allPages((cursor) => unwrap(api.GET('/events', { params: { query: { contractId: id, limit: 200, cursor } } }))),
  });
  const activate = useMutation({
    mutationFn: () => unwrap(api.POST('/contracts/{id}/activate', { params: { path: { id } } })),
    onSuccess: (c) => {
      notify(`${c.contractNumber} is active: ${c.totalEvents} events planned.`);
      void queryClient.invalidateQueries({ queryKey: keys.contract(id) });
      void queryClient.invalidateQueries({ queryKey: ['events'] });
    },
  });

  const select = (eventId?: string) =>
    setParams((p) => {
      if (eventId) p.set('event', eventId);
      else p.delete('event');
      return p;
    });
  const closePanel = () => {
    const chosen = selected;
    select(undefined);
    // Back to where the keyboard was: the event on the timeline.
    if (chosen) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-event-id="${chosen}"] button`)?.focus());
  };

  return (
    <QueryState query={contract} what="the contract">
      {(c) => (
        <>
          <p className="breadcrumb">
            <Link to="/contracts">Contracts</Link> / {c.contractNumber}
          </p>
          <div className="page-head">
            <h1>
              {c.contractNumber}: {c.title}
            </h1>
            <StatusBadge status={c.status} />
          </div>
          <dl className="facts">
            <div>
              <dt>Customer</dt>
              <dd>{c.customer.name}</dd>
            </div>
            <div>
              <dt>Period</dt>
              <dd>
                {formatDate(c.startDate)} – {formatDate(c.endDate)}
              </dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd>{c.totalEvents}</dd>
            </div>
            {EVENT_TYPES.filter((t) => c.eventCounts[t]).map((t) => (
              <div key={t}>
                <dt>{EVENT_TYPE_LABELS[t]}</dt>
                <dd>
                  {Object.entries(c.eventCounts[t]!.byStatus as Record<string, number>)
                    .map(([status, n]) => `${n} ${statusInfo(t, status)?.label ?? humanize(status)}`)
                    .join(', ')}
                </dd>
              </div>
            ))}
          </dl>
          {c.status === 'draft' && can('POST /contracts/{id}/activate') && (
            <div className="actions">
              <button type="button" className="primary" onClick={() => activate.mutate()} disabled={activate.isPending}>
                Activate contract
              </button>
              <ErrorText error={activate.error} />
            </div>
          )}
          <div className="split">
            <section className="card timeline-card" aria-labelledby="timeline-title">
              <div className="section-head">
                <h2 id="timeline-title">Timeline</h2>
                <fieldset className="segmented">
                  <legend className="visually-hidden">Show events of type</legend>
                  {['', ...EVENT_TYPES].map((t) => (
                    <label key={t || 'all'}>
                      <input
                        type="radio"
                        name={filterName}
                        value={t}
                        checked={typeFilter === t}
                        onChange={() =>
                          setParams((p) => {
                            if (t) p.set('type', t);
                            else p.delete('type');
                            return p;
                          })
                        }
                      />
                      <span>{t ? EVENT_TYPE_LABELS[t] : 'All'}</span>
                    </label>
                  ))}
                </fieldset>
              </div>
              <QueryState query={events} what="the events">
                {(items) => (
                  <Timeline
                    events={items.filter((e) => !typeFilter || e.type === typeFilter)}
                    selected={selected}
                    onSelect={select}
                    statusInfo={statusInfo}
                    active={c.status === 'active'}
                    timeZone={c.timezone}
                  />
                )}
              </QueryState>
            </section>
            {selected && <EventPanel key={selected} eventId={selected} contractId={id} timeZone={c.timezone} onClose={closePanel} />}
          </div>
        </>
      )}
    </QueryState>
  );
}

function Timeline({
  events,
  selected,
  onSelect,
  statusInfo,
  active,
  timeZone,
}: {
  events: ContractEvent[];
  selected?: string;
  onSelect: (id: string) => void;
  statusInfo: ReturnType<typeof useStatusInfo>;
  active: boolean;
  timeZone: string;
}) {
  if (events.length === 0)
    return <p className="muted">{active ? 'No events of this type.' : 'No events yet: they are planned when the contract is activated.'}</p>;
  const sorted = [...events].sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate) || a.taskId.localeCompare(b.taskId));
  const months = new Map<string, ContractEvent[]>();
  for (const e of sorted) {
    const month = monthOf(e.scheduledDate, timeZone);
    months.set(month, [...(months.get(month) ?? []), e]);
  }
  const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
  return (
    <ol className="timeline" aria-label="Events by date">
      {[...months].map(([month, list]) => (
        <li key={month} className="timeline-month">
          <h3>{monthName.format(new Date(`${month}-01T00:00:00`))}</h3>
          <ol>
            {list.map((e) => {
              const info = statusInfo(e.type, e.status);
              return (
                <li key={e.id} className={`timeline-item type-${e.type}${selected === e.id ? ' selected' : ''}`} data-event-id={e.id}>
                  <button type="button" className="timeline-button" aria-pressed={selected === e.id} onClick={() => onSelect(e.id)}>
                    <span className="when">{formatDate(e.scheduledDate, timeZone)}</span>
                    <span className="task-id">{e.taskId}</span>
                    <span className="title">{e.title}</span>
                    <span className="type-tag">{EVENT_TYPE_LABELS[e.type]}</span>
                    <StatusBadge status={e.status} label={info?.label} category={info?.category} />
                  </button>
                </li>
              );
            })}
          </ol>
        </li>
      ))}
    </ol>
  );
}

function EventPanel({ eventId, contractId, timeZone, onClose }: { eventId: string; contractId: string; timeZone: string; onClose: () => void }) {
  const { can } = useAuth();
  const statusInfo = useStatusInfo();
  const [moving, setMoving] = useState(false);
  const event = useQuery({ queryKey: keys.event(eventId), queryFn: () => unwrap(api.GET('/events/{id}', { params: { path: { id: eventId } } })) });
  const audit = useQuery({
    queryKey: keys.eventAudit(eventId),
    queryFn: () => allPages((cursor) => unwrap(api.GET('/events/{id}/audit', { params: { path: { id: eventId }, query: { limit: 200, cursor } } })), 5),
  });
  const mayMove = can('POST /events/{id}/transitions');
  const headingRef = useFocusOnArrival<HTMLHeadingElement>(event.isSuccess);

  return (
    <aside className="card event-panel" aria-labelledby="event-title">
      <QueryState query={event} what="the event">
        {(e) => {
          const info = statusInfo(e.type, e.status);
          return (
            <>
              <div className="section-head">
                <h2 id="event-title" tabIndex={-1} ref={headingRef}>
                  {e.title}
                </h2>
                <button type="button" className="icon-button" onClick={onClose} aria-label="Close the event">
                  ×
                </button>
              </div>
              <dl className="facts compact">
                <div>
                  <dt>TaskID</dt>
                  <dd className="task-id">{e.taskId}</dd>
                </div>
                <div>
                  <dt>Type</dt>
                  <dd>{EVENT_TYPE_LABELS[e.type]}</dd>
                </div>
                <div>
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge status={e.status} label={info?.label} category={info?.category} />{' '}
                    <span className="muted small">since {formatDateTime(e.statusChangedAt)}</span>
                  </dd>
                </div>
                <div>
                  <dt>Date</dt>
                  <dd>
                    {formatDate(e.scheduledDate, timeZone)}
                    {e.originalDate !== e.scheduledDate && <span className="muted small"> (planned {formatDate(e.originalDate, timeZone)})</span>}
                  </dd>
                </div>
                {e.amount && (
                  <div>
                    <dt>Amount</dt>
                    <dd>
                      {e.currency} {e.amount} {e.amountSettled && e.amountSettled !== '0.00' ? `(settled ${e.amountSettled})` : ''}
                    </dd>
                  </div>
                )}
                {e.partId && (
                  <div>
                    <dt>Part</dt>
                    <dd>
                      {e.partId} × {e.quantity}
                    </dd>
                  </div>
                )}
                <div>
                  <dt>People</dt>
                  <dd>{e.assignees.length ? e.assignees.map((a) => `${a.name ?? a.userId.slice(0, 8)} (${humanize(a.role)})`).join(', ') : 'Nobody yet'}</dd>
                </div>
              </dl>
              {mayMove ? (
                <button type="button" className="primary" onClick={() => setMoving(true)}>
                  Move status…
                </button>
              ) : (
                <p className="muted small">Your role may not move statuses.</p>
              )}
              {e.tasks.length > 0 && (
                <>
                  <h3>Tasks</h3>
                  <ul className="checklist">
                    {e.tasks.map((t) => (
                      <li key={t.id}>
                        <span aria-hidden="true">{t.done ? '☑' : '☐'}</span> {t.title} {t.required && <span className="muted small">(required)</span>}
                        <span className="visually-hidden">{t.done ? ', done' : ', open'}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <MoveStatusDialog open={moving} onClose={() => setMoving(false)} event={e} contractId={contractId} />
            </>
          );
        }}
      </QueryState>
      <h3>Audit</h3>
      <QueryState query={audit} what="the audit">
        {(entries) =>
          entries.length === 0 ? (
            <p className="muted">No changes yet.</p>
          ) : (
            <ol className="audit" reversed>
              {[...entries]
                .sort((x, y) => y.at.localeCompare(x.at))
                .map((a) => (
                  <li key={a.id}>
                    <div>
                      <strong>{a.field === 'status' ? 'Status' : humanize(a.field)}</strong>: {a.from ?? '—'} → {a.to ?? '—'}
                    </div>
                    <div className="muted small">
                      {formatDateTime(a.at)} · {a.actor.name} ({a.actor.type}
                      {a.source !== a.actor.type ? `, ${a.source}` : ''}){a.timeInPreviousStatus ? ` · after ${formatDuration(a.timeInPreviousStatus)}` : ''}
                    </div>
                    {a.reason && <div className="reason">“{a.reason}”</div>}
                  </li>
                ))}
            </ol>
          )
        }
      </QueryState>
    </aside>
  );
}
