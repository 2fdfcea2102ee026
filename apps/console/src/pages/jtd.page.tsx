import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { allPages } from '../api/pages';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { Dialog } from '../components/dialog';
import { useFocusOnArrival } from '../components/focus-on-arrival';
import { channelLabel, formatDateTime, formatDuration, humanize } from '../components/format';
import { useNotify } from '../components/notices';
import { ErrorText, QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { usePageTitle } from '../components/page-title';

type Job = Schema<'JobView'>;
const STATUSES = [
  'created',
  'scheduled',
  'pending',
  'queued',
  'executing',
  'sent',
  'delivered',
  'read',
  'failed',
  'bounced',
  'held',
  'no_credits',
  'expired',
  'cancelled',
  'completed',
];
const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'inapp'] as const;
type Channel = (typeof CHANNELS)[number];
/** What the dispatcher accepts to retry, and what it refuses to cancel (apps/jtd-dispatcher act-on-job). */
const RETRYABLE = ['failed', 'bounced', 'expired', 'held'];
const NOT_CANCELLABLE = ['sent', 'delivered', 'read', 'bounced', 'cancelled', 'completed', 'executing'];

/** Jobs to do (notifications, reminders, tasks): their delivery, history, retry and cancel; the sandbox of test mode. */
export function JtdPage() {
  usePageTitle('JTD activity');
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const channel = (params.get('channel') ?? '') as Channel | '';
  const selected = params.get('job') ?? undefined;
  const statusId = useId();
  const channelId = useId();
  const setParam = (name: string, value?: string) =>
    setParams((p) => {
      if (value) p.set(name, value);
      else p.delete(name);
      return p;
    });

  const jobs = useInfiniteQuery({
    queryKey: keys.jobs({ status, channel }),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/jtd', { params: { query: { status: status || undefined, channel: channel || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const settings = useQuery({ queryKey: keys.jtdSettings(), queryFn: () => unwrap(api.GET('/settings/jtd')), enabled: can('GET /settings/jtd') });

  return (
    <>
      <h1>JTD activity</h1>
      {settings.data && !settings.data.isLive && (
        <p className="warning">Test mode: nothing is sent to providers. The sandbox below shows what would have gone out.</p>
      )}
      <div className="toolbar">
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={channelId}>Channel</label>
          <select id={channelId} value={channel} onChange={(e) => setParam('channel', e.target.value)}>
            <option value="">Any</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="split">
        <section className="card" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Jobs</h2>
          <QueryState query={jobs} what="jobs">
            {(data) => {
              const items = data.pages.flatMap((p) => p.items);
              if (items.length === 0) return <p className="muted">No jobs.</p>;
              return (
                <div className="table-scroll">
                  <table className="jobs">
                    <caption className="visually-hidden">Jobs, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Job</th>
                        <th scope="col">Channel</th>
                        <th scope="col">Recipient</th>
                        <th scope="col">Status</th>
                        <th scope="col" className="num">
                          Attempts
                        </th>
                        <th scope="col">Created</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((j) => (
                        <tr key={j.id} className={selected === j.id ? 'selected' : undefined} data-job-id={j.id}>
                          <td>
                            <button type="button" className="link-button" aria-pressed={selected === j.id} onClick={() => setParam('job', j.id)}>
                              {humanize(j.sourceType)}
                            </button>
                            {!j.isLive && <span className="tag">test</span>}
                          </td>
                          <td>{channelLabel(j.channel)}</td>
                          <td>{j.recipient.name}</td>
                          <td>
                            <StatusBadge status={j.status} />
                            {j.errorCode && <span className="muted small"> {j.errorCode}</span>}
                          </td>
                          <td className="num">{j.attempts}</td>
                          <td className="nowrap">{formatDateTime(j.createdAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              );
            }}
          </QueryState>
          {jobs.hasNextPage && (
            <button type="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
              Show more
            </button>
          )}
        </section>
        {selected && <JobPanel key={selected} jobId={selected} onClose={() => setParam('job')} />}
      </div>
      {can('GET /jtd/sandbox') && <Sandbox />}
    </>
  );
}

function JobPanel({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const job = useQuery({ queryKey: keys.job(jobId), queryFn: () => unwrap(api.GET('/jtd/{id}', { params: { path: { id: jobId } } })) });
  const history = useQuery({
    queryKey: keys.jobHistory(jobId),
    queryFn: () => allPages((cursor) => unwrap(api.GET('/jtd/{id}/history', { params: { path: { id: jobId }, query: { limit: 200, cursor } } })), 5),
  });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: keys.job(jobId) }), queryClient.invalidateQueries({ queryKey: ['jobs'] })]);
  const headingRef = useFocusOnArrival<HTMLHeadingElement>(job.isSuccess);
  const retry = useMutation({
    mutationFn: () => unwrap(api.POST('/jtd/{id}/retry', { params: { path: { id: jobId } } })),
    onSuccess: (j) => {
      void refresh();
      notify(`The job goes out again (now ${humanize(j.status)}).`);
    },
  });

  return (
    <aside className="card event-panel" aria-labelledby="job-title">
      <QueryState query={job} what="the job">
        {(j) => (
          <>
            <div className="section-head">
              <h2 id="job-title" tabIndex={-1} ref={headingRef}>
                {humanize(j.sourceType)} by {channelLabel(j.channel)}
              </h2>
              <button type="button" className="icon-button" onClick={onClose} aria-label="Close the job">
                ×
              </button>
            </div>
            <dl className="facts compact">
              <div>
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={j.status} /> {j.isValidTransition === false && <span className="tag warn">off the flow</span>}
                </dd>
              </div>
              <div>
                <dt>Recipient</dt>
                <dd>
                  {j.recipient.name} {j.recipient.contact && <span className="muted small">({j.recipient.contact})</span>}
                </dd>
              </div>
              <div>
                <dt>Kind</dt>
                <dd>
                  {humanize(j.eventType)}, template {j.templateKey ?? '—'}
                </dd>
              </div>
              <div>
                <dt>Attempts</dt>
                <dd>
                  {j.attempts} of {j.maxRetries + 1}
                  {j.nextAttemptAt && <span className="muted small"> · next {formatDateTime(j.nextAttemptAt)}</span>}
                </dd>
              </div>
              {j.lastError && (
                <div>
                  <dt>Last error</dt>
                  <dd className="error-text">
                    {j.errorCode ? `${j.errorCode}: ` : ''}
                    {j.lastError}
                  </dd>
                </div>
              )}
              <div>
                <dt>Mode</dt>
                <dd>{j.isLive ? 'Live' : 'Test (sandbox)'}</dd>
              </div>
            </dl>
            <div className="actions">
              {can('POST /jtd/{id}/retry') && (
                <button type="button" className="primary" onClick={() => retry.mutate()} disabled={!RETRYABLE.includes(j.status) || retry.isPending}>
                  Retry
                </button>
              )}
              {can('POST /jtd/{id}/cancel') && (
                <button type="button" onClick={() => setCancelling(true)} disabled={NOT_CANCELLABLE.includes(j.status)}>
                  Cancel job…
                </button>
              )}
            </div>
            <ErrorText error={retry.error} />
            {j.attemptLog.length > 0 && (
              <>
                <h3>Delivery attempts</h3>
                <ol className="audit">
                  {j.attemptLog.map((a) => (
                    <li key={a.attemptNo}>
                      <div>
                        #{a.attemptNo} via {a.provider}: <strong>{a.outcome}</strong>
                        {a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}
                      </div>
                      <div className="muted small">
                        {formatDateTime(a.at)}
                        {a.latencyMs !== undefined && a.latencyMs !== null ? ` · ${a.latencyMs} ms` : ''}
                        {a.error ? ` · ${a.error}` : ''}
                      </div>
                    </li>
                  ))}
                </ol>
              </>
            )}
            <CancelJobDialog open={cancelling} onClose={() => setCancelling(false)} job={j} onCancelled={() => void refresh()} />
          </>
        )}
      </QueryState>
      <h3>Status history</h3>
      <QueryState query={history} what="the history">
        {(entries) => (
          <ol className="audit history" aria-label="Status history">
            {entries.map((h, i) => (
              <li key={`${h.at}-${i}`}>
                <div>
                  {h.from && h.from !== h.to ? `${humanize(h.from)} → ` : ''}
                  <strong>{humanize(h.to)}</strong> {h.isValidTransition === false && <span className="tag warn">off the flow</span>}
                </div>
                <div className="muted small">
                  {formatDateTime(h.at)} · {h.performedBy.name ?? humanize(h.performedBy.type)}
                  {h.durationSeconds ? ` · after ${formatDuration(h.durationSeconds)}` : ''}
                </div>
                {h.note && <div className="reason">{h.note}</div>}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </aside>
  );
}

function CancelJobDialog({ open, onClose, job, onCancelled }: { open: boolean; onClose: () => void; job: Job; onCancelled: () => void }) {
  const notify = useNotify();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/jtd/{id}/cancel', { params: { path: { id: job.id } }, body: reason.trim() ? { reason: reason.trim() } : {} })),
    onSuccess: () => {
      onCancelled();
      notify('The job is cancelled.');
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    cancel.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title="Cancel this job?">
      <form onSubmit={submit} className="stack">
        <p>
          {humanize(job.sourceType)} to {job.recipient.name} by {channelLabel(job.channel)} will not go out.
        </p>
        <div className="field">
          <label htmlFor={reasonId}>Reason (kept in the history)</label>
          <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} />
        </div>
        <ErrorText error={cancel.error} />
        <div className="actions">
          <button type="submit" className="danger" disabled={cancel.isPending}>
            Cancel the job
          </button>
          <button type="button" onClick={onClose}>
            Keep it
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Sandbox() {
  const sandbox = useQuery({ queryKey: keys.sandbox(), queryFn: () => unwrap(api.GET('/jtd/sandbox', { params: { query: { limit: 50 } } })) });
  return (
    <section className="card" aria-labelledby="sandbox-title">
      <h2 id="sandbox-title">Sandbox</h2>
      <p className="muted small">What jobs in test mode would have sent to the provider (secrets masked).</p>
      <QueryState query={sandbox} what="the sandbox">
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">Nothing in the sandbox.</p>
          ) : (
            <ul className="plain-list">
              {page.items.map((m) => (
                <li key={m.id}>
                  <details>
                    <summary>
                      {formatDateTime(m.createdAt)} · {channelLabel(m.channel)} via {m.provider}
                    </summary>
                    <pre className="code">{JSON.stringify(m.request, null, 2)}</pre>
                  </details>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
