import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Schema } from '../../../../libs/client/src/client';
import { api, unwrap } from '../api/api';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import { formatDateTime, humanize } from '../components/format';
import { useNotify } from '../components/notices';
import { ErrorText, QueryState } from '../components/query-state';
import { usePageTitle } from '../components/page-title';

/** Messages a service could not process after its retries, with why; replay once the cause is fixed. */
export function DeadLettersPage() {
  usePageTitle('Dead letters');
  const { can } = useAuth();
  const [replayedAt, setReplayedAt] = useState(0);
  const letters = useInfiniteQuery({
    queryKey: keys.deadLetters(),
    queryFn: ({ pageParam }) => unwrap(api.GET('/admin/dead-letters', { params: { query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: can('GET /admin/dead-letters'),
    // Dead letters have no topic on the stream: look again now and then while the page is open, and often
    // right after a replay (a message that fails again comes back as a new dead letter within moments).
    refetchInterval: () => (Date.now() - replayedAt < 30_000 ? 1000 : 15_000),
  });
  if (!can('GET /admin/dead-letters')) {
    return (
      <>
        <h1>Dead letters</h1>
        <p>Only administrators see dead letters.</p>
      </>
    );
  }
  return (
    <>
      <h1>Dead letters</h1>
      <p className="muted">
        Messages a service gave up on after its retries. Replaying one publishes it again to the queue it failed in; a consumer ignores what it already
        processed.
      </p>
      <QueryState query={letters} what="dead letters">
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0) return <p className="muted">No dead letters: every message was processed.</p>;
          return (
            <ul className="plain-list letters">
              {items.map((letter) => (
                <DeadLetter key={letter.id} letter={letter} onReplayed={() => setReplayedAt(Date.now())} />
              ))}
            </ul>
          );
        }}
      </QueryState>
      {letters.hasNextPage && (
        <button type="button" onClick={() => void letters.fetchNextPage()} disabled={letters.isFetchingNextPage}>
          Show more
        </button>
      )}
    </>
  );
}

function DeadLetter({ letter, onReplayed }: { letter: Schema<'DeadLetterItem'>; onReplayed: () => void }) {
  const { can } = useAuth();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const replay = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/dead-letters/{id}/replay', { params: { path: { id: letter.id } } })),
    onSuccess: () => {
      notify(`${letter.type} replayed to ${letter.service}.`);
      onReplayed();
      void queryClient.invalidateQueries({ queryKey: keys.deadLetters() });
    },
  });
  const headingId = `letter-${letter.id}`;
  return (
    <li className="card letter" aria-labelledby={headingId} data-letter-id={letter.id}>
      <div className="section-head">
        <h2 id={headingId} className="h3">
          {letter.type} <span className="muted small">in {letter.service}</span>
        </h2>
        {can('POST /admin/dead-letters/{id}/replay') && (
          <button type="button" onClick={() => replay.mutate()} disabled={replay.isPending}>
            {letter.replayedAt ? 'Replay again' : 'Replay'}
          </button>
        )}
      </div>
      <dl className="facts compact">
        <div>
          <dt>Reason</dt>
          <dd>
            <strong>{humanize(letter.reason)}</strong>
          </dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd className="error-text">{letter.lastError ?? '—'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{letter.attempts}</dd>
        </div>
        <div>
          <dt>Parked</dt>
          <dd>{formatDateTime(letter.createdAt)}</dd>
        </div>
        <div>
          <dt>Replayed</dt>
          <dd>{letter.replayedAt ? `${formatDateTime(letter.replayedAt)} (${letter.replayCount}×)` : 'not yet'}</dd>
        </div>
      </dl>
      <ErrorText error={replay.error} />
      <details>
        <summary>Message</summary>
        <pre className="code">{JSON.stringify(letter.envelope, null, 2)}</pre>
      </details>
    </li>
  );
}
