import { SseParser } from './sse-parser';

/** A change the gateway's stream reports (GET /v1/stream): which object, of which kind, and how. */
export interface LiveMessage {
  /** `event` (a contract event), `contract`, `ticket`, `appointment`, `job`, `inbox`, … */
  topic: string;
  id: string;
  /** The domain event types coalesced into this message (`CONTRACT_EVENT_STATUS_CHANGED`, …). */
  types: string[];
  at?: string;
  summary?: Record<string, unknown>;
}

/** live: messages flow; connecting/reconnecting: on the way; unavailable: this gateway has no stream. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'stopped';

export interface LiveStreamOptions {
  url: string;
  token: () => string | undefined;
  onMessage: (message: LiveMessage) => void;
  /** Refetch everything: the server said so (`event: reset`), or messages may have been missed. */
  onReset: (why: 'server' | 'reconnected') => void;
  onState: (state: LiveState) => void;
  /** The gateway refused the token (401): the stream stops. */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
  /** Reconnect when nothing, not even a `: ping`, arrived for this long. */
  heartbeatTimeoutMs?: number;
  /** How long to wait before asking again a gateway that has no stream (404). */
  unavailableRetryMs?: number;
  /** The first pause before reconnecting; it doubles up to 30 s (the server's `retry:` replaces it). */
  initialRetryMs?: number;
}

export interface LiveStream {
  close(): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Follows the gateway's server-sent events over fetch (EventSource cannot send an Authorization header):
 * reconnects with growing pauses (1 s … 30 s, or the server's `retry:`), resumes with `Last-Event-ID`, and
 * reconnects when the heartbeat stops. After a reconnect that could not resume it asks for a full refetch.
 */
export function openLiveStream(options: LiveStreamOptions): LiveStream {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 45_000;
  const unavailableRetryMs = options.unavailableRetryMs ?? 30_000;
  const initialRetryMs = options.initialRetryMs ?? 1000;
  const stopped = new AbortController();
  let lastEventId: string | undefined;
  let serverRetryMs: number | undefined;
  let connectedBefore = false;

  const run = async () => {
    for (let failures = 0; !stopped.signal.aborted;) {
      options.onState(connectedBefore || failures > 0 ? 'reconnecting' : 'connecting');
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      stopped.signal.addEventListener('abort', abortAttempt, { once: true });
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(abortAttempt, heartbeatTimeoutMs);
      };
      try {
        const token = options.token();
        const res = await doFetch(options.url, {
          headers: {
            accept: 'text/event-stream',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
          },
          cache: 'no-store',
          signal: attempt.signal,
        });
        if (res.status === 401) {
          options.onState('stopped');
          options.onUnauthenticated?.();
          return;
        }
        if (res.status === 404 || res.status === 405 || res.status === 501) {
          options.onState('unavailable');
          await sleep(unavailableRetryMs, stopped.signal);
          continue;
        }
        if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
          throw new Error(`the stream answered ${res.status}`);
        }
        const resumed = lastEventId !== undefined;
        if (connectedBefore && !resumed) options.onReset('reconnected');
        connectedBefore = true;
        failures = 0;
        options.onState('live');
        feed();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed();
          const messages = parser.push(value);
          // Also moved by an `id:` without a message (the stream's opening position, its pings).
          lastEventId = parser.lastEventId ?? lastEventId;
          serverRetryMs = parser.retry ?? serverRetryMs;
          for (const message of messages) {
            if (message.event === 'reset') {
              options.onReset('server');
              continue;
            }
            const live = liveMessageOf(message.event, message.data);
            if (live) options.onMessage(live);
          }
        }
      } catch {
        // aborted (closed, or the heartbeat stopped) or the connection broke: try again below
      } finally {
        clearTimeout(watchdog);
        stopped.signal.removeEventListener('abort', abortAttempt);
        attempt.abort();
      }
      if (stopped.signal.aborted) break;
      failures++;
      options.onState('reconnecting');
      await sleep(serverRetryMs ?? Math.min(30_000, initialRetryMs * 2 ** Math.min(failures - 1, 5)), stopped.signal);
    }
  };
  void run();
  return {
    close() {
      stopped.abort();
    },
  };
}

/** The message's data as the protocol describes it, or undefined for what does not parse. */
export function liveMessageOf(event: string, data: string): LiveMessage | undefined {
  try {
    const body = JSON.parse(data) as Partial<LiveMessage>;
    const topic = typeof body.topic === 'string' ? body.topic : event;
    if (typeof body.id !== 'string' || topic === 'message') return undefined;
    return { topic, id: body.id, types: Array.isArray(body.types) ? body.types : [], at: body.at, summary: body.summary };
  } catch {
    return undefined;
  }
}
