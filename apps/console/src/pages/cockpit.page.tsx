import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { EVENT_TYPES, useStatusInfo } from '../api/flows';
import { api, unwrap } from '../api/api';
import { allPages } from '../api/pages';
import { keys } from '../api/query-keys';
import { EVENT_TYPE_LABELS, formatDate, formatDateTime, formatTime } from '../components/format';
import { QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { usePageTitle } from '../components/page-title';

const BUCKETS = [
  ['upcoming', 'Upcoming'],
  ['due', 'Due'],
  ['overdue', 'Overdue'],
  ['in_progress', 'In progress'],
  ['done', 'Done'],
  ['cancelled', 'Cancelled'],
] as const;

type CockpitEvent = Schema<'CockpitEventView'> & { type: string };
const LIST_LENGTH = 12;

/** What is due, overdue and next for the three event types, and the visits of the coming week. */
export function CockpitPage() {
  usePageTitle('Cockpit');
  const cockpit = useQuery({ queryKey: keys.cockpit({ from: '', to: '' }), queryFn: () => unwrap(api.GET('/cockpit', {})) });
  const [week] = useState(() => {
    const from = new Date();
    return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 86400_000).toISOString() };
  });
  const appointments = useQuery({
    queryKey: keys.appointments(week),
    queryFn: () => allPages((cursor) => unwrap(api.GET('/appointments', { params: { query: { ...week, limit: 200, cursor } } })), 5),
  });
  const statusInfo = useStatusInfo();

  return (
    <>
      <h1>Cockpit</h1>
      <QueryState query={cockpit} what="the cockpit">
        {(view) => {
          const each = (pick: (t: Schema<'CockpitTypeView'>) => Schema<'CockpitEventView'>[]): CockpitEvent[] =>
            EVENT_TYPES.flatMap((type) => pick(view.types[type]).map((e) => ({ ...e, type })));
          // The cockpit answers ten of each type; the three types together, most urgent first.
          const overdue = each((t) => t.overdue)
            .sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate))
            .slice(0, LIST_LENGTH);
          const nextUp = each((t) => t.nextUp)
            .sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate))
            .slice(0, LIST_LENGTH);
          return (
            <>
              <section className="card" aria-labelledby="buckets-title">
                <h2 id="buckets-title">Events by bucket</h2>
                <div className="table-scroll buckets-wide">
                  <table className="buckets" aria-labelledby="buckets-title">
                    <thead>
                      <tr>
                        <th scope="col">Type</th>
                        {BUCKETS.map(([code, label]) => (
                          <th scope="col" key={code} className={`num cat-head-${code}`}>
                            {label}
                          </th>
                        ))}
                        <th scope="col" className="num">
                          Total
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {EVENT_TYPES.map((type) => (
                        <tr key={type} data-type={type}>
                          <th scope="row">{EVENT_TYPE_LABELS[type]}</th>
                          {BUCKETS.map(([code]) => (
                            <td key={code} className={`num ${view.types[type].buckets[code] ? `cat-cell-${code}` : 'zero'}`} data-bucket={code}>
                              {view.types[type].buckets[code]}
                            </td>
                          ))}
                          <td className="num total" data-bucket="total">
                            {view.types[type].total}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {/* At phone width the same counts turned around: a row per bucket, a column per type. */}
                <table className="buckets buckets-narrow" aria-labelledby="buckets-title">
                  <thead>
                    <tr>
                      <th scope="col">Bucket</th>
                      {EVENT_TYPES.map((type) => (
                        <th scope="col" key={type} className="num">
                          {EVENT_TYPE_LABELS[type]}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {[...BUCKETS, ['total', 'Total'] as const].map(([code, label]) => (
                      <tr key={code}>
                        <th scope="row">{label}</th>
                        {EVENT_TYPES.map((type) => {
                          const n = code === 'total' ? view.types[type].total : view.types[type].buckets[code];
                          return (
                            <td key={type} className={`num ${code === 'total' ? 'total' : n ? `cat-cell-${code}` : 'zero'}`}>
                              {n}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <div className="columns">
                <EventList title="Overdue" events={overdue} empty="Nothing is overdue." statusInfo={statusInfo} />
                <EventList title="Next up" events={nextUp} empty="Nothing is coming up." statusInfo={statusInfo} />
              </div>
            </>
          );
        }}
      </QueryState>
      <section className="card" aria-labelledby="appointments-title">
        <h2 id="appointments-title">Appointments in the next 7 days</h2>
        <QueryState query={appointments} what="appointments">
          {(items) =>
            items.length === 0 ? (
              <p className="muted">No visits booked this week.</p>
            ) : (
              <ul className="plain-list">
                {items.map((a) => (
                  <li key={a.id} className="row-item">
                    <span className="when">
                      {formatDateTime(a.startsAt)}–{formatTime(a.endsAt)}
                    </span>
                    <span>{a.assignments.map((x) => x.name ?? 'Technician').join(', ') || 'Nobody assigned'}</span>
                    <span className="muted">{a.location?.address ?? ''}</span>
                    <StatusBadge status={a.status} />
                    {a.ticketId && <Link to={`/tickets/${a.ticketId}`}>Ticket</Link>}
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </section>
    </>
  );
}

function EventList({
  title,
  events,
  empty,
  statusInfo,
}: {
  title: string;
  events: CockpitEvent[];
  empty: string;
  statusInfo: ReturnType<typeof useStatusInfo>;
}) {
  const id = `list-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {events.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list">
          {events.map((e) => {
            const info = statusInfo(e.type, e.status);
            return (
              <li key={e.id} className="row-item">
                <span className="when">{formatDate(e.scheduledDate)}</span>
                <Link to={`/contracts/${e.contractId}?event=${e.id}`}>{e.title}</Link>
                <span className="task-id">{e.taskId}</span>
                <span className="muted">{EVENT_TYPE_LABELS[e.type]}</span>
                {e.amount && (
                  <span>
                    {e.currency} {e.amount}
                  </span>
                )}
                <StatusBadge status={e.status} label={info?.label} category={info?.category} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
