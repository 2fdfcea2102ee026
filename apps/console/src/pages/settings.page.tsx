import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { Schema } from '../../../../libs/client/src/client';
import { api, ApiError, unwrap } from '../api/api';
import { EVENT_TYPES, fetchFlow, type EventType } from '../api/flows';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { Dialog } from '../components/dialog';
import { channelLabel, EVENT_TYPE_LABELS, humanize } from '../components/format';
import { useNotify } from '../components/notices';
import { ErrorText, QueryState } from '../components/query-state';
import { usePageTitle } from '../components/page-title';

type Flow = Schema<'EventStatusFlowView'>;
type StatusDef = Schema<'EventStatusDefinitionDto'>;
type TransitionDef = Schema<'EventTransitionDefinitionDto'>;
const CATEGORIES = ['upcoming', 'due', 'overdue', 'in_progress', 'done', 'cancelled'] as const;
const FLAGS = [
  ['requiresReason', 'Reason'],
  ['requiresEvidence', 'Evidence'],
  ['requiresTasksDone', 'Tasks done'],
  ['isAutomatic', 'Automatic'],
] as const;

/** Status flows per event type (the tenant's override, or the system default), and how jobs go out. */
export function SettingsPage() {
  usePageTitle('Settings');
  const { can } = useAuth();
  return (
    <>
      <h1>Settings</h1>
      <FlowSettings />
      {can('GET /settings/jtd') && <JtdSettings />}
    </>
  );
}

function FlowSettings() {
  const [params, setParams] = useSearchParams();
  const type = (EVENT_TYPES as readonly string[]).includes(params.get('flow') ?? '') ? (params.get('flow') as EventType) : 'service';
  const groupName = useId();
  const flow = useQuery({ queryKey: keys.flow(type), queryFn: () => fetchFlow(type) });
  return (
    <section className="card" aria-labelledby="flows-title">
      <div className="section-head">
        <h2 id="flows-title">Status flows</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Event type</legend>
          {EVENT_TYPES.map((t) => (
            <label key={t}>
              <input
                type="radio"
                name={groupName}
                checked={type === t}
                onChange={() =>
                  setParams((p) => {
                    p.set('flow', t);
                    return p;
                  })
                }
              />
              <span>{EVENT_TYPE_LABELS[t]}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <QueryState query={flow} what="the flow">
        {(view) => <FlowEditor key={`${type}-${JSON.stringify(view)}`} type={type} flow={view} />}
      </QueryState>
    </section>
  );
}

function FlowEditor({ type, flow }: { type: EventType; flow: Flow }) {
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const editable = can('PUT /settings/event-statuses/{eventType}');
  const [statuses, setStatuses] = useState<StatusDef[]>(() => flow.statuses.map((s) => ({ ...s })));
  const [transitions, setTransitions] = useState<TransitionDef[]>(() => flow.transitions.map((t) => ({ ...t })));
  const [dueLeadDays, setDueLeadDays] = useState(flow.dueLeadDays);
  const [adding, setAdding] = useState({ from: '', to: '' });
  const [newStatus, setNewStatus] = useState({ code: '', label: '', category: 'in_progress' as StatusDef['category'] });
  const [confirmReset, setConfirmReset] = useState(false);
  const ids = { lead: useId(), from: useId(), to: useId(), code: useId(), label: useId(), category: useId(), initial: useId() };
  const changed =
    JSON.stringify({ statuses, transitions, dueLeadDays }) !==
    JSON.stringify({ statuses: flow.statuses, transitions: flow.transitions, dueLeadDays: flow.dueLeadDays });

  const done = (view: Flow, message: string) => {
    queryClient.setQueryData(keys.flow(type), view);
    void queryClient.invalidateQueries({ queryKey: ['cockpit'] });
    notify(message);
  };
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/settings/event-statuses/{eventType}', {
          params: { path: { eventType: type } },
          body: { statuses: statuses.map((s) => ({ ...s, color: s.color ?? undefined, icon: s.icon ?? undefined })), transitions, dueLeadDays },
        }),
      ),
    onSuccess: (view) => done(view, `The ${EVENT_TYPE_LABELS[type].toLowerCase()} flow is saved as this tenant’s own.`),
  });
  const reset = useMutation({
    mutationFn: () => unwrap(api.DELETE('/settings/event-statuses/{eventType}', { params: { path: { eventType: type } } })),
    onSuccess: (view) => {
      setConfirmReset(false);
      done(view, `The ${EVENT_TYPE_LABELS[type].toLowerCase()} flow is back to the system default.`);
    },
  });

  const updateStatus = (code: string, patch: Partial<StatusDef>) => setStatuses((list) => list.map((s) => (s.code === code ? { ...s, ...patch } : s)));
  const updateTransition = (i: number, patch: Partial<TransitionDef>) => setTransitions((list) => list.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const labelOf = (code: string) => statuses.find((s) => s.code === code)?.label ?? code;
  const addStatus = () => {
    const code = newStatus.code.trim();
    if (!/^[a-z][a-z0-9_]*$/.test(code) || statuses.some((s) => s.code === code)) return;
    setStatuses((list) => [
      ...list,
      { code, label: newStatus.label.trim() || humanize(code), category: newStatus.category, order: list.length + 1, isInitial: false, isTerminal: false },
    ]);
    setNewStatus({ code: '', label: '', category: 'in_progress' });
  };
  const addTransition = () => {
    if (!adding.from || !adding.to || adding.from === adding.to) return;
    if (transitions.some((t) => t.from === adding.from && t.to === adding.to)) return;
    setTransitions((list) => [
      ...list,
      { from: adding.from, to: adding.to, requiresReason: false, requiresEvidence: false, requiresTasksDone: false, isAutomatic: false },
    ]);
    setAdding({ from: '', to: '' });
  };

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <p>
        {flow.isTenantOverride ? <span className="tag">This tenant’s own flow</span> : <span className="tag muted-tag">System default</span>}{' '}
        {editable ? 'Saving makes it this tenant’s own; reset brings back the system default.' : 'Only administrators change flows.'}
      </p>
      <fieldset disabled={!editable} className="bare">
        <legend className="visually-hidden">{EVENT_TYPE_LABELS[type]} flow</legend>
        <div className="field inline">
          <label htmlFor={ids.lead}>Due this many days before the date</label>
          <input id={ids.lead} type="number" min={0} max={365} value={dueLeadDays} onChange={(e) => setDueLeadDays(Number(e.target.value))} />
        </div>
        <h3>Statuses</h3>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Statuses of the {EVENT_TYPE_LABELS[type].toLowerCase()} flow</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Label</th>
                <th scope="col">Bucket</th>
                <th scope="col">Initial</th>
                <th scope="col">Terminal</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {statuses.map((s) => (
                <tr key={s.code}>
                  <th scope="row" className="code-cell">
                    {s.code}
                  </th>
                  <td>
                    <input
                      aria-label={`Label of ${s.code}`}
                      value={s.label}
                      onChange={(e) => updateStatus(s.code, { label: e.target.value })}
                      maxLength={100}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`Bucket of ${s.code}`}
                      value={s.category}
                      onChange={(e) => updateStatus(s.code, { category: e.target.value as StatusDef['category'] })}
                    >
                      {CATEGORIES.map((c) => (
                        <option key={c} value={c}>
                          {humanize(c)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="radio"
                      name={ids.initial}
                      aria-label={`${s.code} is the initial status`}
                      checked={!!s.isInitial}
                      onChange={() => setStatuses((list) => list.map((x) => ({ ...x, isInitial: x.code === s.code })))}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${s.code} is terminal`}
                      checked={!!s.isTerminal}
                      onChange={(e) => updateStatus(s.code, { isTerminal: e.target.checked })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Remove status ${s.code}`}
                      onClick={() => {
                        setStatuses((list) => list.filter((x) => x.code !== s.code));
                        setTransitions((list) => list.filter((t) => t.from !== s.code && t.to !== s.code));
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable && (
          <div className="toolbar">
            <div className="field">
              <label htmlFor={ids.code}>New status code</label>
              <input
                id={ids.code}
                value={newStatus.code}
                onChange={(e) => setNewStatus((n) => ({ ...n, code: e.target.value }))}
                pattern="[a-z][a-z0-9_]*"
                maxLength={50}
                placeholder="awaiting_parts"
              />
            </div>
            <div className="field">
              <label htmlFor={ids.label}>Label</label>
              <input id={ids.label} value={newStatus.label} onChange={(e) => setNewStatus((n) => ({ ...n, label: e.target.value }))} maxLength={100} />
            </div>
            <div className="field">
              <label htmlFor={ids.category}>Bucket</label>
              <select
                id={ids.category}
                value={newStatus.category}
                onChange={(e) => setNewStatus((n) => ({ ...n, category: e.target.value as StatusDef['category'] }))}
              >
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {humanize(c)}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" onClick={addStatus}>
              Add status
            </button>
          </div>
        )}
        <h3>Transitions</h3>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Moves of the {EVENT_TYPE_LABELS[type].toLowerCase()} flow and what each requires</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                {FLAGS.map(([flag, label]) => (
                  <th scope="col" key={flag}>
                    {label}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {transitions.map((t, i) => (
                <tr key={`${t.from}>${t.to}`}>
                  <td>{labelOf(t.from)}</td>
                  <td>{labelOf(t.to)}</td>
                  {FLAGS.map(([flag, label]) => (
                    <td key={flag}>
                      <input
                        type="checkbox"
                        aria-label={`${label}: ${labelOf(t.from)} to ${labelOf(t.to)}`}
                        checked={!!t[flag]}
                        onChange={(e) => updateTransition(i, { [flag]: e.target.checked })}
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Remove the move ${labelOf(t.from)} to ${labelOf(t.to)}`}
                      onClick={() => setTransitions((list) => list.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable && (
          <div className="toolbar">
            <div className="field">
              <label htmlFor={ids.from}>From</label>
              <select id={ids.from} value={adding.from} onChange={(e) => setAdding((a) => ({ ...a, from: e.target.value }))}>
                <option value="">Choose…</option>
                {statuses.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.to}>To</label>
              <select id={ids.to} value={adding.to} onChange={(e) => setAdding((a) => ({ ...a, to: e.target.value }))}>
                <option value="">Choose…</option>
                {statuses.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" onClick={addTransition}>
              Add move
            </button>
          </div>
        )}
      </fieldset>
      <ErrorText error={save.error} />
      {editable && (
        <div className="actions">
          <button type="submit" className="primary" disabled={!changed || save.isPending}>
            Save flow
          </button>
          <button
            type="button"
            disabled={!changed}
            onClick={() => {
              setStatuses(flow.statuses.map((s) => ({ ...s })));
              setTransitions(flow.transitions.map((t) => ({ ...t })));
              setDueLeadDays(flow.dueLeadDays);
            }}
          >
            Discard changes
          </button>
          {can('DELETE /settings/event-statuses/{eventType}') && flow.isTenantOverride && (
            <button type="button" className="danger push-right" onClick={() => setConfirmReset(true)}>
              Reset to the system default…
            </button>
          )}
        </div>
      )}
      <Dialog open={confirmReset} onClose={() => setConfirmReset(false)} title={`Reset the ${EVENT_TYPE_LABELS[type].toLowerCase()} flow?`}>
        <div className="stack">
          <p>This tenant’s own statuses and moves are replaced by the system default. Events in a status the default does not have keep it until moved.</p>
          <ErrorText error={reset.error} />
          <div className="actions">
            <button type="button" className="danger" onClick={() => reset.mutate()} disabled={reset.isPending}>
              Reset
            </button>
            <button type="button" onClick={() => setConfirmReset(false)}>
              Keep this flow
            </button>
          </div>
        </div>
      </Dialog>
    </form>
  );
}

const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'inapp'] as const;

function JtdSettings() {
  const settings = useQuery({ queryKey: keys.jtdSettings(), queryFn: () => unwrap(api.GET('/settings/jtd')) });
  // Kept here: a conflict reloads the settings, which remounts the form with the new version.
  const [conflict, setConflict] = useState<string>();
  return (
    <section className="card" aria-labelledby="jtd-settings-title">
      <h2 id="jtd-settings-title">Notifications and jobs (JTD)</h2>
      <QueryState query={settings} what="the JTD settings">
        {(view) => <JtdSettingsForm key={view.version} settings={view} conflict={conflict} setConflict={setConflict} />}
      </QueryState>
    </section>
  );
}

function JtdSettingsForm({
  settings,
  conflict,
  setConflict,
}: {
  settings: Schema<'JtdSettingsView'>;
  conflict?: string;
  setConflict: (text?: string) => void;
}) {
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const editable = can('PUT /settings/jtd');
  const [channels, setChannels] = useState({ ...settings.channelsEnabled });
  const [quietStart, setQuietStart] = useState(settings.quietHoursStart ?? '');
  const [quietEnd, setQuietEnd] = useState(settings.quietHoursEnd ?? '');
  const [daily, setDaily] = useState(settings.dailyLimit?.toString() ?? '');
  const [monthly, setMonthly] = useState(settings.monthlyLimit?.toString() ?? '');
  const [timezone, setTimezone] = useState(settings.timezone);
  const [lead, setLead] = useState(String(settings.appointmentReminderLeadMinutes));
  const [testMode, setTestMode] = useState(!settings.isLive);
  const ids = { start: useId(), end: useId(), daily: useId(), monthly: useId(), tz: useId(), lead: useId(), test: useId() };

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/settings/jtd', {
          body: {
            channelsEnabled: channels,
            quietHoursStart: quietStart || null,
            quietHoursEnd: quietEnd || null,
            dailyLimit: daily === '' ? null : Number(daily),
            monthlyLimit: monthly === '' ? null : Number(monthly),
            timezone,
            appointmentReminderLeadMinutes: Number(lead),
            isLive: !testMode,
            version: settings.version,
          },
        }),
      ),
    onSuccess: (view) => {
      queryClient.setQueryData(keys.jtdSettings(), view);
      notify('JTD settings saved.');
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setConflict('Another administrator changed these settings meanwhile: their version is loaded; make your change again.');
        void queryClient.invalidateQueries({ queryKey: keys.jtdSettings() });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setConflict(undefined);
    save.mutate();
  };

  return (
    <form onSubmit={submit} className="stack">
      <fieldset disabled={!editable} className="bare">
        <legend className="visually-hidden">JTD settings</legend>
        <fieldset className="choices">
          <legend>Channels</legend>
          {CHANNELS.map((c) => (
            <label key={c} className="choice">
              <input type="checkbox" checked={channels[c]} onChange={(e) => setChannels((x) => ({ ...x, [c]: e.target.checked }))} />
              <span>{channelLabel(c)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="choices">
          <legend>Quiet hours (jobs wait until they end)</legend>
          <div className="row">
            <div className="field">
              <label htmlFor={ids.start}>From</label>
              <input id={ids.start} type="time" value={quietStart} onChange={(e) => setQuietStart(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.end}>Until</label>
              <input id={ids.end} type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.tz}>Timezone</label>
              <input id={ids.tz} value={timezone} onChange={(e) => setTimezone(e.target.value)} maxLength={64} />
            </div>
          </div>
        </fieldset>
        <fieldset className="choices">
          <legend>Limits (over a limit, jobs are held until the next day or month; empty: none)</legend>
          <div className="row">
            <div className="field">
              <label htmlFor={ids.daily}>Per day</label>
              <input id={ids.daily} type="number" min={0} value={daily} onChange={(e) => setDaily(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.monthly}>Per month</label>
              <input id={ids.monthly} type="number" min={0} value={monthly} onChange={(e) => setMonthly(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.lead}>Appointment reminder (minutes before)</label>
              <input id={ids.lead} type="number" min={0} max={10080} value={lead} onChange={(e) => setLead(e.target.value)} />
            </div>
          </div>
        </fieldset>
        <label className="choice" htmlFor={ids.test}>
          <input id={ids.test} type="checkbox" checked={testMode} onChange={(e) => setTestMode(e.target.checked)} />
          <span>Test mode: send nothing, keep what would have gone out in the sandbox</span>
        </label>
      </fieldset>
      {conflict && (
        <p className="warning" role="alert">
          {conflict}
        </p>
      )}
      {!(save.error instanceof ApiError && save.error.status === 409) && <ErrorText error={save.error} />}
      {editable && (
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save JTD settings
          </button>
        </div>
      )}
    </form>
  );
}
