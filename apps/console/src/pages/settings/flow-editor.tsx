import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Schema } from '../../../../../libs/client/src/client';
import { api, unwrap } from '../../api/api';
import type { EventType } from '../../api/flows';
import { keys } from '../../api/query-keys';
import { useAuth } from '../../auth/auth-context';
import { Dialog } from '../../components/dialog';
import { EVENT_TYPE_LABELS } from '../../components/format';
import { useNotify } from '../../components/notices';
import { ErrorText } from '../../components/query-state';
import { FlowStatuses, type StatusDef } from './flow-statuses';
import { FlowTransitions, type TransitionDef } from './flow-transitions';

type Flow = Schema<'EventStatusFlowView'>;

/** One event type's flow, edited as a whole and saved as the tenant's own (or reset to the system default). */
export function FlowEditor({ type, flow }: { type: EventType; flow: Flow }) {
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const editable = can('PUT /settings/event-statuses/{eventType}');
  const [statuses, setStatuses] = useState<StatusDef[]>(() => flow.statuses.map((s) => ({ ...s })));
  const [transitions, setTransitions] = useState<TransitionDef[]>(() => flow.transitions.map((t) => ({ ...t })));
  const [dueLeadDays, setDueLeadDays] = useState(flow.dueLeadDays);
  const [confirmReset, setConfirmReset] = useState(false);
  const ids = { lead: useId() };
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
        <FlowStatuses type={type} editable={editable} statuses={statuses} setStatuses={setStatuses} setTransitions={setTransitions} />
        <FlowTransitions type={type} editable={editable} statuses={statuses} transitions={transitions} setTransitions={setTransitions} />
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
