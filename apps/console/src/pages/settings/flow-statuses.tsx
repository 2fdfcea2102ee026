import { useId, useState, type Dispatch, type SetStateAction } from 'react';
import type { Schema } from '../../../../../libs/client/src/client';
import type { EventType } from '../../api/flows';
import { EVENT_TYPE_LABELS, humanize } from '../../components/format';
import type { TransitionDef } from './flow-transitions';

export type StatusDef = Schema<'EventStatusDefinitionDto'>;
const CATEGORIES = ['upcoming', 'due', 'overdue', 'in_progress', 'done', 'cancelled'] as const;

/** The statuses of a flow being edited (FlowEditor keeps the state): the table and the form adding one. */
export function FlowStatuses({
  type,
  editable,
  statuses,
  setStatuses,
  setTransitions,
}: {
  type: EventType;
  editable: boolean;
  statuses: StatusDef[];
  setStatuses: Dispatch<SetStateAction<StatusDef[]>>;
  setTransitions: Dispatch<SetStateAction<TransitionDef[]>>;
}) {
  const [newStatus, setNewStatus] = useState({ code: '', label: '', category: 'in_progress' as StatusDef['category'] });
  const ids = { code: useId(), label: useId(), category: useId(), initial: useId() };
  const updateStatus = (code: string, patch: Partial<StatusDef>) => setStatuses((list) => list.map((s) => (s.code === code ? { ...s, ...patch } : s)));
  const addStatus = () => {
    const code = newStatus.code.trim();
    if (!/^[a-z][a-z0-9_]*$/.test(code) || statuses.some((s) => s.code === code)) return;
    setStatuses((list) => [
      ...list,
      { code, label: newStatus.label.trim() || humanize(code), category: newStatus.category, order: list.length + 1, isInitial: false, isTerminal: false },
    ]);
    setNewStatus({ code: '', label: '', category: 'in_progress' });
  };

  return (
    <>
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
                  <input aria-label={`Label of ${s.code}`} value={s.label} onChange={(e) => updateStatus(s.code, { label: e.target.value })} maxLength={100} />
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
    </>
  );
}
