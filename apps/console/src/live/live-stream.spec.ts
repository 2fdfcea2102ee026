import { describe, expect, it } from '@jest/globals';
import { openLiveStream, type LiveMessage, type LiveState } from './live-stream';

/** A server of streams the test writes to: one per request, with the headers each request sent. */
function fakeServer(answers: Array<number | 'stream'>) {
  const requests: Array<Record<string, string>> = [];
  const writers: Array<{ write(text: string): void; end(): void }> = [];
  const encoder = new TextEncoder();
  const fetch = async (_url: unknown, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => {
    requests.push({ ...(init?.headers ?? {}) });
    const answer = answers.shift() ?? 'stream';
    if (answer !== 'stream') return new Response('{}', { status: answer, headers: { 'content-type': 'application/problem+json' } });
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
    writers.push({ write: (text) => controller.enqueue(encoder.encode(text)), end: () => controller.close() });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, writers };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function follow(server: ReturnType<typeof fakeServer>, extra: Partial<Parameters<typeof openLiveStream>[0]> = {}) {
  const messages: LiveMessage[] = [];
  const states: LiveState[] = [];
  const resets: string[] = [];
  let refused = 0;
  const stream = openLiveStream({
    url: 'http://gateway/v1/stream',
    token: () => 'tok',
    fetch: server.fetch,
    onMessage: (m) => messages.push(m),
    onReset: (why) => resets.push(why),
    onState: (s) => states.push(s),
    onUnauthenticated: () => refused++,
    initialRetryMs: 5,
    unavailableRetryMs: 20,
    ...extra,
  });
  return { stream, messages, states, resets, refused: () => refused };
}

describe('openLiveStream', () => {
  it('sends the bearer token and hands over each message of a topic', async () => {
    const server = fakeServer(['stream']);
    const live = follow(server);
    await until(() => server.writers.length === 1);
    server.writers[0].write(
      ': ping\n\nid: 1\nevent: event\ndata: {"topic":"event","id":"e1","types":["CONTRACT_EVENT_STATUS_CHANGED"],"at":"2027-01-01T00:00:00Z","summary":{"status":"assigned"}}\n\n',
    );
    await until(() => live.messages.length === 1);
    expect(server.requests[0]).toMatchObject({ authorization: 'Bearer tok', accept: 'text/event-stream' });
    expect(live.messages[0]).toEqual({
      topic: 'event',
      id: 'e1',
      types: ['CONTRACT_EVENT_STATUS_CHANGED'],
      at: '2027-01-01T00:00:00Z',
      summary: { status: 'assigned' },
    });
    expect(live.states).toEqual(['connecting', 'live']);
    live.stream.close();
  });

  it('reconnects after the stream ends and resumes from the last id, without a full refetch', async () => {
    const server = fakeServer(['stream', 'stream']);
    const live = follow(server);
    await until(() => server.writers.length === 1);
    server.writers[0].write('retry: 5\nid: 40\n\nid: 41\nevent: job\ndata: {"topic":"job","id":"j1"}\n\n: ping\nid: 43\n\n');
    await until(() => live.messages.length === 1);
    server.writers[0].end();
    await until(() => server.writers.length === 2);
    // The position of the last ping, not only of the last message.
    expect(server.requests[1]['last-event-id']).toBe('43');
    expect(live.resets).toEqual([]);
    live.stream.close();
  });

  it('asks for a full refetch when the server says reset, and after a reconnect it could not resume', async () => {
    const server = fakeServer(['stream', 'stream']);
    const live = follow(server);
    await until(() => server.writers.length === 1);
    server.writers[0].write('event: reset\ndata: {}\n\n');
    await until(() => live.resets.length === 1);
    server.writers[0].end();
    await until(() => live.resets.length === 2);
    expect(live.resets).toEqual(['server', 'reconnected']);
    live.stream.close();
  });

  it('reconnects when the heartbeat stops', async () => {
    const server = fakeServer(['stream', 'stream']);
    const live = follow(server, { heartbeatTimeoutMs: 30 });
    await until(() => server.writers.length === 2);
    expect(live.states).toContain('reconnecting');
    live.stream.close();
  });

  it('waits and asks again when the gateway has no stream, and stops when the token is refused', async () => {
    const server = fakeServer([404, 401]);
    const live = follow(server);
    await until(() => live.refused() === 1);
    expect(live.states).toEqual(['connecting', 'unavailable', 'connecting', 'stopped']);
    expect(server.requests).toHaveLength(2);
  });
});
