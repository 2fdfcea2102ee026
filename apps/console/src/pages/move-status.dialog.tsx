import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { Schema } from '../../../../libs/client/src/client';
import { api, ApiError, messageOf, unwrap } from '../api/api';
import { allPages } from '../api/pages';
import { keys } from '../api/query-keys';
import { Dialog } from '../components/dialog';
import { formatDateTime, humanize } from '../components/format';
import { useNotify } from '../components/notices';
import { QueryState } from '../components/query-state';

type EventView = Pick<Schema<'ContractEventView'>, 'id' | 'taskId' | 'title' | 'status'>;

/** Moves an event to one of the statuses its flow allows from here, asking for what that move requires. */
export function MoveStatusDialog({ open, onClose, event, contractId }: { open: boolean; onClose: () => void; event: EventView; contractId: string }) {
  return (
    <Dialog open={open} onClose={onClose} title={`Move ${event.taskId}: ${event.title}`}>
      <MoveForm event={event} contractId={contractId} onDone={onClose} />
    </Dialog>
  );
}

function MoveForm({ event, contractId, onDone }: { event: EventView; contractId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  const [toStatus, setToStatus] = useState('');
  const [reason, setReason] = useState('');
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const [conflict, setConflict] = useState<string>();
  const groupName = useId();
  const reasonId = useId();

  const transitions = useQuery({
    queryKey: keys.eventTransitions(event.id),
    queryFn: () => unwrap(api.GET('/events/{id}/transitions', { params: { path: { id: event.id } } })),
    staleTime: 0,
  });
  // What the system does itself (the scheduler's due and overdue, payments) is not offered to people.
  const options = (transitions.data?.items ?? []).filter((t) => t.manual !== false && !t.isAutomatic);
  const chosen = options.find((t) => t.toStatus === toStatus);
  const evidence = useQuery({
    queryKey: keys.eventEvidence(event.id, contractId),
    queryFn: () => evidenceOfEvent(event.id, contractId),
    enabled: chosen?.requiresEvidence === true,
  });

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.event(event.id) }),
      queryClient.invalidateQueries({ queryKey: ['events'] }),
      queryClient.invalidateQueries({ queryKey: ['cockpit'] }),
      queryClient.invalidateQueries({ queryKey: keys.contract(contractId) }),
    ]);

  const move = useMutation({
    mutationFn: (input: { toStatus: string; version: number; reason?: string; evidenceIds?: string[] }) =>
      unwrap(api.POST('/events/{id}/transitions', { params: { path: { id: event.id } }, body: input })),
    onSuccess: (moved) => {
      void refresh();
      notify(`${moved.taskId} moved to ${chosen?.label ?? humanize(moved.status)}.`);
      onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setConflict('Someone changed this event while you were looking at it. Its latest state is loaded below: check it and choose again.');
        setToStatus('');
        void refresh();
      }
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || !transitions.data) return;
    setConflict(undefined);
    move.mutate({
      toStatus: chosen.toStatus,
      version: transitions.data.version,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(chosen.requiresEvidence ? { evidenceIds } : {}),
    });
  };

  return (
    <QueryState query={transitions} what="the moves allowed now">
      {(view) => (
        <form onSubmit={submit} className="stack">
          <p>
            Now <strong>{humanize(view.currentStatus)}</strong> (version {view.version}).
          </p>
          {conflict && (
            <p className="warning" role="alert">
              {conflict}
            </p>
          )}
          {options.length === 0 ? (
            <p className="muted">The flow allows no move by hand from here.</p>
          ) : (
            <fieldset className="choices">
              <legend>Move to</legend>
              {options.map((t) => (
                <label key={t.toStatus} className="choice">
                  <input type="radio" name={groupName} value={t.toStatus} checked={toStatus === t.toStatus} onChange={() => setToStatus(t.toStatus)} required />
                  <span>
                    {t.label}
                    {(t.requiresReason || t.requiresEvidence || t.requiresTasksDone) && (
                      <span className="muted small">
                        {' '}
                        (
                        {[t.requiresReason && 'needs a reason', t.requiresEvidence && 'needs evidence', t.requiresTasksDone && 'required tasks done']
                          .filter(Boolean)
                          .join(', ')}
                        )
                      </span>
                    )}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {chosen && (
            <div className="field">
              <label htmlFor={reasonId}>{chosen.requiresReason ? 'Reason (required)' : 'Note (optional)'}</label>
              <textarea
                id={reasonId}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required={chosen.requiresReason}
                maxLength={2000}
                rows={3}
                aria-required={chosen.requiresReason}
              />
            </div>
          )}
          {chosen?.requiresEvidence && (
            <fieldset className="choices">
              <legend>Evidence (required)</legend>
              <QueryState query={evidence} what="the evidence">
                {(items) =>
                  items.length === 0 ? (
                    <p className="warning">No evidence is recorded for this event yet: record it on its ticket first.</p>
                  ) : (
                    items.map((ev) => (
                      <label key={ev.id} className="choice">
                        <input
                          type="checkbox"
                          checked={evidenceIds.includes(ev.id)}
                          onChange={(e) => setEvidenceIds((ids) => (e.target.checked ? [...ids, ev.id] : ids.filter((x) => x !== ev.id)))}
                        />
                        <span>
                          {humanize(ev.type)}: {ev.label ?? ev.note ?? ev.id.slice(0, 8)}{' '}
                          <span className="muted small">
                            ({ev.status}, {formatDateTime(ev.createdAt)})
                          </span>
                        </span>
                      </label>
                    ))
                  )
                }
              </QueryState>
            </fieldset>
          )}
          {move.isError && !(move.error instanceof ApiError && move.error.status === 409) && (
            <p className="error" role="alert">
              {messageOf(move.error)}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={!chosen || move.isPending || (chosen.requiresEvidence && evidenceIds.length === 0)}>
              {move.isPending ? 'Moving…' : 'Move'}
            </button>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </QueryState>
  );
}

/** Evidence recorded (and not rejected) for this event on the contract's tickets that carry it. */
async function evidenceOfEvent(eventId: string, contractId: string): Promise<Schema<'EvidenceView'>[]> {
  const tickets = await allPages((cursor) => unwrap(api.GET('/tickets', { params: { query: { contractId, limit: 200, cursor } } })), 5);
  const lists = await Promise.all(
    tickets
      .filter((t) => t.eventIds.includes(eventId))
      .map((t) => allPages((cursor) => unwrap(api.GET('/tickets/{id}/evidence', { params: { path: { id: t.id }, query: { limit: 200, cursor } } })), 5)),
  );
  return lists.flat().filter((e) => e.eventId === eventId && e.status !== 'rejected');
}
