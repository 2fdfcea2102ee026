import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { useStatusInfo } from '../api/flows';
import { keys } from '../api/query-keys';
import { EVENT_TYPE_LABELS, formatDate, formatDateTime, formatDuration, formatTime, humanize } from '../components/format';
import { QueryState } from '../components/query-state';
import { usePageTitle } from '../components/page-title';
import { StatusBadge } from '../components/status-badge';

/** One service ticket: its events, its evidence (with the state of a customer OTP), its visits and history. */
export function TicketPage() {
  const { id = '' } = useParams();
  const statusInfo = useStatusInfo();
  const ticket = useQuery({ queryKey: keys.ticket(id), queryFn: () => unwrap(api.GET('/tickets/{id}', { params: { path: { id } } })) });
  usePageTitle(ticket.data ? `Ticket ${ticket.data.ticketNumber}` : 'Ticket');
  const visits = useQuery({
    queryKey: keys.appointments({ ticketId: id }),
    queryFn: () => unwrap(api.GET('/appointments', { params: { query: { ticketId: id, limit: 200 } } })),
  });
  return (
    <QueryState query={ticket} what="the ticket">
      {(t) => (
        <>
          <p className="breadcrumb">
            <Link to="/tickets">Tickets</Link> / {t.ticketNumber}
          </p>
          <div className="page-head">
            <h1>Ticket {t.ticketNumber}</h1>
            <StatusBadge status={t.status} />
          </div>
          <dl className="facts">
            <div>
              <dt>Contract</dt>
              <dd>
                <Link to={`/contracts/${t.contractId}`}>Open the contract</Link>
              </dd>
            </div>
            <div>
              <dt>Scheduled</dt>
              <dd>{formatDateTime(t.scheduledFor)}</dd>
            </div>
            <div>
              <dt>People</dt>
              <dd>{t.assignees.map((a) => `${a.name ?? a.userId.slice(0, 8)} (${humanize(a.role)})`).join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>Created by</dt>
              <dd>{t.createdBy.name}</dd>
            </div>
          </dl>
          <div className="columns">
            <section className="card" aria-labelledby="ticket-events">
              <h2 id="ticket-events">Events</h2>
              <ul className="plain-list">
                {t.events.map((e) => {
                  const info = statusInfo(e.type, e.status);
                  return (
                    <li key={e.id} className="row-item">
                      <span className="task-id">{e.taskId ?? '—'}</span>
                      <Link to={`/contracts/${t.contractId}?event=${e.id}`}>{e.title ?? 'Event'}</Link>
                      <span className="muted">{EVENT_TYPE_LABELS[e.type]}</span>
                      <span className="when">{formatDate(e.scheduledDate)}</span>
                      <StatusBadge status={e.status} label={info?.label} category={info?.category} />
                    </li>
                  );
                })}
              </ul>
            </section>
            <section className="card" aria-labelledby="ticket-visits">
              <h2 id="ticket-visits">Visits</h2>
              <QueryState query={visits} what="the visits">
                {(page) =>
                  page.items.length === 0 ? (
                    <p className="muted">No visit booked.</p>
                  ) : (
                    <ul className="plain-list">
                      {page.items.map((a) => (
                        <li key={a.id} className="row-item">
                          <span className="when">
                            {formatDateTime(a.startsAt)}–{formatTime(a.endsAt)}
                          </span>
                          <StatusBadge status={a.status} />
                          <span>{a.assignments.map((x) => `${x.name ?? 'Technician'} (${humanize(x.status)})`).join(', ')}</span>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </QueryState>
            </section>
          </div>
          <section className="card" aria-labelledby="ticket-evidence">
            <h2 id="ticket-evidence">Evidence</h2>
            {t.evidence.length === 0 ? (
              <p className="muted">No evidence recorded.</p>
            ) : (
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Evidence</caption>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">What</th>
                      <th scope="col">Status</th>
                      <th scope="col">OTP</th>
                      <th scope="col">Recorded</th>
                    </tr>
                  </thead>
                  <tbody>
                    {t.evidence.map((ev) => (
                      <tr key={ev.id}>
                        <td>{humanize(ev.type)}</td>
                        <td>{ev.label ?? ev.note ?? ev.file?.fileName ?? '—'}</td>
                        <td>
                          <StatusBadge status={ev.status} />
                          {ev.rejectionReason && <div className="muted small">{ev.rejectionReason}</div>}
                        </td>
                        <td>{ev.otp ? <OtpState otp={ev.otp} /> : '—'}</td>
                        <td className="nowrap">
                          {formatDateTime(ev.createdAt)} <span className="muted small">by {ev.uploadedBy.name}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="ticket-history">
            <h2 id="ticket-history">History</h2>
            <ol className="audit">
              {t.history.map((h, i) => (
                <li key={`${h.at}-${i}`}>
                  <div>
                    {h.from && h.from !== h.to ? `${humanize(h.from)} → ` : ''}
                    <strong>{humanize(h.to)}</strong>
                  </div>
                  <div className="muted small">
                    {formatDateTime(h.at)} · {h.actor.name}
                    {h.secondsInPrevious ? ` · after ${formatDuration(h.secondsInPrevious)}` : ''}
                  </div>
                  {h.reason && <div className="reason">“{h.reason}”</div>}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </QueryState>
  );
}

function OtpState({ otp }: { otp: Schema<'EvidenceOtpView'> }) {
  const state = otp.verifiedAt
    ? `verified ${formatDateTime(otp.verifiedAt)}`
    : otp.locked
      ? 'locked (too many attempts)'
      : otp.expiresAt && new Date(otp.expiresAt) < new Date()
        ? 'expired'
        : 'waiting for the code';
  return (
    <span>
      {humanize(otp.channel)} to {otp.sentTo ?? '—'}: {state}
      <span className="muted small">
        {' '}
        · {otp.attempts} attempt{otp.attempts === 1 ? '' : 's'}
        {otp.expiresAt && !otp.verifiedAt ? ` · expires ${formatDateTime(otp.expiresAt)}` : ''}
      </span>
    </span>
  );
}
