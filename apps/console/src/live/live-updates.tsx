import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { keysToRefresh } from '../api/query-keys';
import { session } from '../auth/session';
import { openLiveStream, type LiveState } from './live-stream';

/** Changes that arrive within this long refresh the page once (the seed's "real-time UI updates, debounced"). */
export const DEBOUNCE_MS = 300;
/** …but a steady trickle of changes still refreshes at least this often. */
export const MAX_WAIT_MS = 1500;

interface LiveStatus {
  state: LiveState;
  /** What the last refresh was about, for the aria-live region ("2 contract events, 1 contract changed"). */
  announcement: string;
  /** Bumped on every refresh the stream caused (tests and the header read it). */
  refreshes: number;
}

const LiveContext = createContext<LiveStatus>({ state: 'connecting', announcement: '', refreshes: 0 });

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext);
}

const NOUNS: Record<string, [string, string]> = {
  event: ['contract event', 'contract events'],
  contract: ['contract', 'contracts'],
  ticket: ['ticket', 'tickets'],
  appointment: ['appointment', 'appointments'],
  job: ['job', 'jobs'],
  inbox: ['inbox item', 'inbox items'],
};

function describe(counts: Map<string, Set<string>>): string {
  const parts = [...counts].map(([topic, ids]) => {
    const [one, many] = NOUNS[topic] ?? [topic, `${topic}s`];
    return `${ids.size} ${ids.size === 1 ? one : many}`;
  });
  return parts.length ? `Updated live: ${parts.join(', ')} changed.` : '';
}

/**
 * Follows GET /v1/stream while someone is signed in and turns each message into TanStack Query
 * invalidations of the object and the lists that show it, gathered over DEBOUNCE_MS so a burst (an
 * activation creates dozens of events) refetches each visible query once.
 */
export function LiveUpdatesProvider({ children, onUnauthenticated }: { children: ReactNode; onUnauthenticated: () => void }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting', announcement: '', refreshes: 0 });

  useEffect(() => {
    const pending = new Map<string, QueryKey>();
    const counts = new Map<string, Set<string>>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstPendingAt = 0;
    const flush = () => {
      timer = undefined;
      firstPendingAt = 0;
      for (const key of pending.values()) void queryClient.invalidateQueries({ queryKey: key });
      const announcement = describe(counts);
      pending.clear();
      counts.clear();
      setStatus((s) => ({ ...s, announcement, refreshes: s.refreshes + 1 }));
    };
    const stream = openLiveStream({
      url: `${window.location.origin}/v1/stream`,
      token: () => session.token(),
      onMessage(message) {
        for (const key of keysToRefresh(message)) pending.set(JSON.stringify(key), key);
        if (!counts.has(message.topic)) counts.set(message.topic, new Set());
        counts.get(message.topic)!.add(message.id);
        const now = Date.now();
        firstPendingAt ||= now;
        clearTimeout(timer);
        timer = setTimeout(flush, now - firstPendingAt >= MAX_WAIT_MS ? 0 : DEBOUNCE_MS);
      },
      onReset() {
        void queryClient.invalidateQueries();
        setStatus((s) => ({ ...s, announcement: 'Reconnected: everything was reloaded.', refreshes: s.refreshes + 1 }));
      },
      onState: (state) => setStatus((s) => (s.state === state ? s : { ...s, state })),
      onUnauthenticated,
    });
    return () => {
      stream.close();
      clearTimeout(timer);
    };
  }, [queryClient, onUnauthenticated]);

  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}
