import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { StreamMessage, StreamTopic } from '@app/shared/api/realtime/stream.dto';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { GatewayConfig } from '../gateway.config';
import { StreamClient } from './stream-client';
import { StreamHub } from './stream-hub';
import { StreamChange } from './stream-topics';

/** One block of the event stream as written: comments, fields, parsed data. */
type SseTestBlock = { id?: string; event?: string; data?: unknown; comment?: string; retry?: string };

/** A response that keeps what it was sent; `unread` pretends the client has not taken that many bytes. */
class FakeResponse extends EventEmitter {
  text = '';
  unread = 0;
  ended = false;
  destroyed = false;
  get writableLength() {
    return this.unread;
  }
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
  end(chunk?: string) {
    if (chunk) this.text += chunk;
    this.ended = true;
    setImmediate(() => this.emit('close'));
  }
  destroy() {
    this.destroyed = true;
  }
  /** The blocks written so far: comments, fields, parsed data. */
  blocks(): SseTestBlock[] {
    return this.text
      .split('\n\n')
      .filter(Boolean)
      .map((block) => {
        const out: Record<string, unknown> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) out.comment = line.slice(1).trim();
          else {
            const i = line.indexOf(':');
            out[line.slice(0, i)] = line.slice(i + 1).trim();
          }
        }
        if (typeof out.data === 'string') out.data = JSON.parse(out.data);
        return out;
      });
  }
  /** The messages (blocks with an `event:`); these tests read only changes, whose data is a StreamMessage. */
  messages() {
    return this.blocks().filter((b): b is SseTestBlock & { event: string; data: StreamMessage } => !!b.event);
  }
}

const tenantA = randomUUID();
const tenantB = randomUUID();

function config(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return Object.assign(new GatewayConfig(), overrides);
}

describe('the stream hub', () => {
  let hub: StreamHub;
  const change = (over: Partial<StreamChange> & { id: string }): StreamChange => ({
    tenantId: tenantA,
    topic: 'ticket',
    type: 'SERVICE_TICKET_CREATED',
    at: new Date().toISOString(),
    summary: {},
    ...over,
  });
  const open = (opts: { tenantId?: string; userId?: string; topics?: StreamTopic[]; lastEventId?: string; maxBufferedBytes?: number } = {}) => {
    const res = new FakeResponse();
    const client = new StreamClient({
      tenantId: opts.tenantId ?? tenantA,
      userId: opts.userId ?? randomUUID(),
      topics: new Set(opts.topics ?? ['event', 'contract', 'ticket', 'appointment', 'job', 'inbox']),
      response: res as unknown as ServerResponse,
      maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
    });
    hub.attach(client, opts.lastEventId);
    return res;
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    hub = new StreamHub(config({ STREAM_COALESCE_MS: 250, STREAM_HEARTBEAT_MS: 15_000 }), new MetricsService());
    hub.listening();
  });

  afterEach(() => {
    hub.onModuleDestroy();
    jest.useRealTimers();
  });

  it('starts with retry and the current position, sending no event', () => {
    const res = open();
    const [first, position] = res.blocks();
    expect(first).toEqual({ retry: '2000' });
    expect(position).toEqual({ id: expect.stringMatching(/^[0-9a-z]+\.0\.[0-9a-z]+$/) });
    expect(res.messages()).toEqual([]);
  });

  it('coalesces the changes of one object within the window into one message listing their types, in order', () => {
    const res = open();
    const id = randomUUID();
    hub.receive(change({ id, type: 'SERVICE_TICKET_CREATED', summary: { status: 'created', ticketNumber: 'TKT-2027-00001' } }));
    jest.advanceTimersByTime(100);
    hub.receive(
      change({ id, type: 'SERVICE_TICKET_STATUS_CHANGED', summary: { status: 'assigned', previousStatus: 'created' }, at: '2027-01-04T10:00:00.100Z' }),
    );
    hub.receive(
      change({ id, type: 'SERVICE_TICKET_STATUS_CHANGED', summary: { status: 'in_progress', previousStatus: 'assigned' }, at: '2027-01-04T10:00:00.200Z' }),
    );
    expect(res.messages()).toEqual([]);
    jest.advanceTimersByTime(150);
    expect(res.messages()).toEqual([
      {
        id: expect.any(String),
        event: 'ticket',
        data: {
          topic: 'ticket',
          id,
          types: ['SERVICE_TICKET_CREATED', 'SERVICE_TICKET_STATUS_CHANGED'],
          at: '2027-01-04T10:00:00.200Z',
          summary: { status: 'in_progress', previousStatus: 'assigned', ticketNumber: 'TKT-2027-00001' },
        },
      },
    ]);
    // A change after the window is a message of its own, after the first.
    hub.receive(change({ id, type: 'SERVICE_TICKET_COMPLETED' }));
    jest.advanceTimersByTime(250);
    expect(res.messages().map((m) => m.data.types)).toEqual([['SERVICE_TICKET_CREATED', 'SERVICE_TICKET_STATUS_CHANGED'], ['SERVICE_TICKET_COMPLETED']]);
  });

  it('sends a tenant’s changes to that tenant’s streams only, and an inbox item to its user only', () => {
    const asha = randomUUID();
    const ravi = randomUUID();
    const ashaStream = open({ userId: asha });
    const raviStream = open({ userId: ravi });
    const other = open({ tenantId: tenantB, userId: asha });
    hub.receive(change({ id: randomUUID() }));
    hub.receive(change({ id: randomUUID(), topic: 'inbox', type: 'INAPP_NOTIFICATION_CREATED', recipient: ravi }));
    hub.receive(change({ id: randomUUID(), tenantId: tenantB, topic: 'inbox', type: 'INAPP_NOTIFICATION_CREATED', recipient: ravi }));
    jest.advanceTimersByTime(250);
    expect(ashaStream.messages().map((m) => m.event)).toEqual(['ticket']);
    expect(raviStream.messages().map((m) => m.event)).toEqual(['ticket', 'inbox']);
    expect(other.messages()).toEqual([]);
  });

  it('sends only the topics a stream asked for', () => {
    const res = open({ topics: ['appointment'] });
    hub.receive(change({ id: randomUUID() }));
    hub.receive(change({ id: randomUUID(), topic: 'appointment', type: 'APPOINTMENT_CREATED' }));
    jest.advanceTimersByTime(250);
    expect(res.messages().map((m) => m.event)).toEqual(['appointment']);
  });

  it('pings every stream with the current position', () => {
    const res = open();
    jest.advanceTimersByTime(15_000);
    expect(res.blocks().at(-1)).toEqual({ comment: 'ping', id: expect.any(String) });
    jest.advanceTimersByTime(15_000);
    expect(res.blocks().filter((b) => b.comment === 'ping')).toHaveLength(2);
  });

  it('resumes after a Last-Event-ID with what was missed, one message per object, then the position', () => {
    const first = open();
    const [a, b] = [randomUUID(), randomUUID()];
    hub.receive(change({ id: a }));
    jest.advanceTimersByTime(250);
    const lastSeen = first.messages()[0].id!;
    hub.receive(change({ id: b }));
    jest.advanceTimersByTime(250);
    hub.receive(change({ id: a, type: 'SERVICE_TICKET_STATUS_CHANGED' }));
    jest.advanceTimersByTime(250);
    const again = open({ lastEventId: lastSeen });
    expect(again.messages().map((m) => [m.data.id, m.data.types])).toEqual([
      [b, ['SERVICE_TICKET_CREATED']],
      [a, ['SERVICE_TICKET_STATUS_CHANGED']],
    ]);
    // Then the position after the last message sent (seq 3), so a later reconnection resumes from there.
    const epoch = lastSeen.split('.')[0];
    expect(again.blocks().at(-1)).toEqual({ id: expect.stringMatching(new RegExp(`^${epoch}\\.3\\.[0-9a-z]+$`)) });
  });

  it('says reset for an id it cannot place or that is too old', () => {
    expect(open({ lastEventId: 'nonsense' }).messages()).toEqual([{ id: expect.any(String), event: 'reset', data: { reason: 'unknown-id' } }]);
    const res = open();
    const position = res.blocks()[1].id!;
    jest.advanceTimersByTime(300_001);
    expect(open({ lastEventId: position }).messages()).toEqual([{ id: expect.any(String), event: 'reset', data: { reason: 'too-old' } }]);
  });

  it('drops a client that does not read, with reset, and keeps serving the others', () => {
    const slow = open();
    const fine = open();
    slow.unread = 2 * 1024 * 1024;
    hub.receive(change({ id: randomUUID() }));
    jest.advanceTimersByTime(250);
    expect(slow.ended).toBe(true);
    expect(slow.messages()).toEqual([{ id: expect.any(String), event: 'reset', data: { reason: 'slow-client' } }]);
    expect(fine.messages().map((m) => m.event)).toEqual(['ticket']);
  });

  it('tells every open stream to reset when the broker subscription is made again', async () => {
    const res = open();
    hub.listening();
    expect(res.messages()).toEqual([{ id: expect.any(String), event: 'reset', data: { reason: 'broker-reconnected' } }]);
    await new Promise((r) => setImmediate(r));
    expect(hub.connections).toBe(0);
  });
});
