import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { allPages } from '../api/pages';
import { keys } from '../api/query-keys';
import { formatTime, formatWeekday, humanize, isoDay } from '../components/format';
import { QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { usePageTitle } from '../components/page-title';

type Appointment = Schema<'AppointmentView'>;
/** Assignments that no longer put the person on the visit. */
const OFF = new Set(['declined', 'expired', 'withdrawn']);

function mondayOf(day: Date): Date {
  const d = new Date(day.getFullYear(), day.getMonth(), day.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

function addDays(day: Date, n: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + n);
}

/** A week of visits, one row per technician (a column per day); on a phone, a list per day. */
export function CalendarPage() {
  usePageTitle('Calendar');
  const [params, setParams] = useSearchParams();
  const asked = params.get('week');
  const monday = mondayOf(asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? new Date(`${asked}T00:00:00`) : new Date());
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const range = { from: monday.toISOString(), to: addDays(monday, 7).toISOString() };
  const appointments = useQuery({
    queryKey: keys.appointments(range),
    queryFn: () => allPages((cursor) => unwrap(api.GET('/appointments', { params: { query: { ...range, limit: 200, cursor } } })), 10),
  });
  const go = (week: Date) =>
    setParams((p) => {
      p.set('week', isoDay(week));
      return p;
    });
  const title = `Week of ${formatWeekday(monday)}`;

  return (
    <>
      <h1>Calendar</h1>
      <div className="toolbar" role="group" aria-label="Week">
        <button type="button" onClick={() => go(addDays(monday, -7))}>
          ← Previous week
        </button>
        <button type="button" onClick={() => go(mondayOf(new Date()))}>
          This week
        </button>
        <button type="button" onClick={() => go(addDays(monday, 7))}>
          Next week →
        </button>
        <span className="muted" aria-live="polite">
          {title}
        </span>
        <Link to="/tickets" className="push-right">
          All tickets
        </Link>
      </div>
      <QueryState query={appointments} what="the appointments">
        {(items) => <Week items={items} days={days} title={title} />}
      </QueryState>
    </>
  );
}

function Week({ items, days, title }: { items: Appointment[]; days: Date[]; title: string }) {
  const people = new Map<string, string>();
  for (const a of items) for (const x of a.assignments) if (!OFF.has(x.status)) people.set(x.userId, x.name ?? `Technician ${x.userId.slice(0, 8)}`);
  const rows = [...people].sort((a, b) => a[1].localeCompare(b[1]));
  const unassigned = items.filter((a) => !a.assignments.some((x) => !OFF.has(x.status)));
  const sameDay = (a: Appointment, day: Date) => isoDay(new Date(a.startsAt)) === isoDay(day);
  const on = (userId: string | undefined, day: Date) =>
    (userId ? items.filter((a) => a.assignments.some((x) => x.userId === userId && !OFF.has(x.status))) : unassigned)
      .filter((a) => sameDay(a, day))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const allRows: Array<[string | undefined, string]> = [...rows, ...(unassigned.length ? [[undefined, 'Unassigned'] as [undefined, string]] : [])];
  const today = isoDay(new Date());

  if (items.length === 0) return <p className="muted">No visits this week.</p>;
  return (
    <>
      <div className="table-scroll card calendar-week">
        <table className="calendar">
          <caption className="visually-hidden">{title}: visits by technician and day</caption>
          <thead>
            <tr>
              <th scope="col">Technician</th>
              {days.map((d) => (
                <th scope="col" key={d.toISOString()} className={isoDay(d) === today ? 'today' : undefined}>
                  {formatWeekday(d)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {allRows.map(([userId, name]) => (
              <tr key={userId ?? 'none'}>
                <th scope="row">{name}</th>
                {days.map((d) => (
                  <td key={d.toISOString()} className={isoDay(d) === today ? 'today' : undefined}>
                    {on(userId, d).map((a) => (
                      <Visit key={a.id} appointment={a} />
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="calendar-agenda">
        {days.map((d) => {
          const visits = items.filter((a) => sameDay(a, d)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
          return (
            <section key={d.toISOString()} className="card" aria-label={formatWeekday(d)}>
              <h2>{formatWeekday(d)}</h2>
              {visits.length === 0 ? (
                <p className="muted small">No visits.</p>
              ) : (
                visits.map((a) => (
                  <div key={a.id} className="agenda-item">
                    <Visit appointment={a} />
                    <span className="muted small">
                      {a.assignments
                        .filter((x) => !OFF.has(x.status))
                        .map((x) => x.name ?? 'Technician')
                        .join(', ') || 'Unassigned'}
                    </span>
                  </div>
                ))
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}

function Visit({ appointment: a }: { appointment: Appointment }) {
  const text = (
    <>
      <span className="visit-time">
        {formatTime(a.startsAt)}–{formatTime(a.endsAt)}
      </span>
      <span className="visit-place">{a.location?.address ?? 'No address'}</span>
      <StatusBadge status={a.status} label={humanize(a.status)} />
    </>
  );
  return a.ticketId ? (
    <Link className="visit" to={`/tickets/${a.ticketId}`}>
      {text}
    </Link>
  ) : (
    <div className="visit">{text}</div>
  );
}
