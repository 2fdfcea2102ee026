import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { Schema } from '../../../../../libs/client/src/client';
import { api, ApiError, unwrap } from '../../api/api';
import { keys } from '../../api/query-keys';
import { useAuth } from '../../auth/auth-context';
import { channelLabel } from '../../components/format';
import { useNotify } from '../../components/notices';
import { ErrorText, QueryState } from '../../components/query-state';

const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'inapp'] as const;

/** The tenant's JTD settings: which channels are on, and how jobs go out. */
export function JtdSettings() {
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
