import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { EVENT_TYPES, fetchFlow, type EventType } from '../api/flows';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { EVENT_TYPE_LABELS } from '../components/format';
import { QueryState } from '../components/query-state';
import { usePageTitle } from '../components/page-title';
import { FlowEditor } from './settings/flow-editor';
import { JtdSettings } from './settings/jtd-settings';

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
