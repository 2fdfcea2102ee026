import { useId, useState, type Dispatch, type SetStateAction } from 'react';
import type { Schema } from '../../../../../libs/client/src/client';
import type { EventType } from '../../api/flows';
import { EVENT_TYPE_LABELS } from '../../components/format';
import type { StatusDef } from './flow-statuses';

export type TransitionDef = Schema<'EventTransitionDefinitionDto'>;
const FLAGS = [
  ['requiresReason', 'Reason'],
  ['requiresEvidence', 'Evidence'],
  ['requiresTasksDone', 'Tasks done'],
  ['isAutomatic', 'Automatic'],
] as const;

/** The moves of a flow being edited (FlowEditor keeps the state): the table with what each requires, and the form adding one. */
export function FlowTransitions({
  type,
  editable,
  statuses,
  transitions,
  setTransitions,
}: {
  type: EventType;
  editable: boolean;
  statuses: StatusDef[];
  transitions: TransitionDef[];
  setTransitions: Dispatch<SetStateAction<TransitionDef[]>>;
}) {
  const [adding, setAdding] = useState({ from: '', to: '' });
  const ids = { from: useId(), to: useId() };
  const updateTransition = (i: number, patch: Partial<TransitionDef>) => setTransitions((list) => list.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const labelOf = (code: string) => statuses.find((s) => s.code === code)?.label ?? code;
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
    <>
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
    </>
  );
}
