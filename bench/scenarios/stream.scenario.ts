import type { ContractEventView } from '@app/shared/api/events/contract-events.views';
import http from 'node:http';
import { BenchContext } from '../lib/context';
import { LatencyRecorder, sleep } from '../lib/latency';
import { Measurement, NotAvailable } from '../lib/result';
import { route } from './contracts';
import { findToggle, parseFlow } from './transition.scenario';

const STREAMS = 1000;
/** Events moved round-robin: each is moved far less often than the coalescing window, so every move is a message. */
const MOVED_EVENTS = 50;

interface Arrival {
  /** When the domain event happened (its occurredAt). */
  at: number;
  /** When the gateway sent the message (from its id: `<epoch>.<seq>.<time>`, base 36). */
  sentAt: number;
}

/**
 * One open stream, read as cheaply as possible: the 1,000 streams get the same frames, so a frame's data is
 * parsed once (by its id) and each stream only notes when it arrived.
 */
class BenchStream {
  private buffer = '';
  req?: http.ClientRequest;
  ended = false;

  constructor(private readonly onMessage: (id: string, data: () => string, receivedAt: number) => void) {}

  open(url: URL, token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}?topics=events`,
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          agent: false,
        },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`GET /v1/stream answered ${res.statusCode}`));
          res.setEncoding('utf8');
          let opened = false;
          res.on('data', (chunk: string) => {
            const now = Date.now();
            this.buffer += chunk;
            for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
              const block = this.buffer.slice(0, end);
              this.buffer = this.buffer.slice(end + 2);
              if (!opened && block.startsWith('id: ')) {
                opened = true;
                resolve();
              }
              if (!block.includes('\nevent: event\n')) continue;
              const id = block.slice(4, block.indexOf('\n'));
              this.onMessage(id, () => block.slice(block.indexOf('\ndata: ') + 7), now);
            }
          });
          res.on('close', () => (this.ended = true));
        },
      );
      this.req.on('error', (e) => (this.ended ? undefined : reject(e)));
    });
  }

  close(): void {
    this.ended = true;
    this.req?.destroy();
  }
}

/**
 * 1,000 open streams (`GET /v1/stream?topics=events`, one tenant, one connection each), then contract events
 * moved through the API at a steady rate: each move is a transaction with its CONTRACT_EVENT_STATUS_CHANGED
 * in the events service's outbox, published by its relay, heard by the gateway's stream queue, coalesced for
 * 250 ms (STREAM_COALESCE_MS) and written to every stream. Latency per stream and message: the event's
 * `occurredAt` → the message arrived. The message id's send time splits it into upstream (outbox, relay,
 * broker, coalescing window) and the gateway's fan-out to the 1,000 streams.
 */
export async function streamScenario(b: BenchContext): Promise<Measurement[]> {
  const seed = b.seed!;
  const gw = b.gateway!;
  const token = seed.adminToken;
  const url = new URL(`${b.gatewayUrl}/v1/stream`);
  await route('open a stream', async () => {
    const probe = await gw.request({ method: 'GET', path: '/v1/stream?topics=nothing', headers: { authorization: `Bearer ${token}` } });
    // A 400 (unknown topic) proves the route exists without holding a stream open.
    if (probe.status === 404) throw new NotAvailable('GET /v1/stream is not served by the gateway yet (404)');
  });

  // The events to move, brought to a pair of statuses they can move between forever.
  const flow = parseFlow(await gw.json('GET', '/v1/settings/event-statuses/service', token));
  const ids = seed.eventIds.slice(0, MOVED_EVENTS);
  const first = await gw.json<ContractEventView>('GET', `/v1/events/${ids[0]}`, token);
  const toggle = findToggle(flow.initial ?? first.status, flow.moves);
  if (!toggle) throw new NotAvailable('the tenant’s service flow has no two statuses to move between');
  const [a, c] = toggle.pair;
  const state = await Promise.all(
    ids.map(async (id) => {
      let ev = await gw.json<ContractEventView>('GET', `/v1/events/${id}`, token);
      if (ev.status !== a && ev.status !== c) {
        for (const to of toggle.path)
          ev = await gw.json<ContractEventView>('POST', `/v1/events/${id}/transitions`, token, {
            toStatus: to,
            reason: 'bench: reach the toggle pair',
            version: ev.version,
          });
      }
      return { id, version: ev.version as number, status: ev.status as string };
    }),
  );

  const latency = new LatencyRecorder();
  const fanOut = new LatencyRecorder();
  const upstream = new LatencyRecorder();
  const arrivals = new Map<string, Arrival | null>();
  let measureFrom = Infinity;
  let received = 0;
  const onMessage = (id: string, data: () => string, receivedAt: number) => {
    let arrival = arrivals.get(id);
    if (arrival === undefined) {
      const d = JSON.parse(data()) as { types: string[]; at: string };
      arrival = d.types.includes('CONTRACT_EVENT_STATUS_CHANGED') ? { at: Date.parse(d.at), sentAt: parseInt(id.split('.')[2], 36) } : null;
      arrivals.set(id, arrival);
      if (arrival && arrival.at >= measureFrom) upstream.record(arrival.sentAt - arrival.at);
    }
    if (!arrival || arrival.at < measureFrom) return;
    received++;
    latency.record(receivedAt - arrival.at);
    fanOut.record(receivedAt - arrival.sentAt);
  };

  const streams: BenchStream[] = [];
  const connectStart = Date.now();
  try {
    for (let i = 0; i < STREAMS; i += 100) {
      const batch = Array.from({ length: Math.min(100, STREAMS - i) }, () => new BenchStream(onMessage));
      streams.push(...batch);
      await Promise.all(batch.map((s) => s.open(url, token)));
    }
    const connectMs = Date.now() - connectStart;
    b.log(`stream: ${STREAMS} streams open in ${connectMs} ms`);

    // Moves at a steady rate; the first warmupMs are not measured.
    const perSecond = b.opts.quick ? 10 : 20;
    let moves = 0;
    let measuredMoves = 0;
    let failedMoves = 0;
    const start = Date.now();
    const end = start + b.opts.warmupMs + b.opts.durationMs;
    let next = 0;
    while (Date.now() < end) {
      const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
      if (moves >= due) {
        await sleep(5);
        continue;
      }
      const s = state[next++ % state.length];
      const measured = Date.now() >= start + b.opts.warmupMs;
      if (measured && measureFrom === Infinity) measureFrom = Date.now();
      const res = await gw.request({
        method: 'POST',
        path: `/v1/events/${s.id}/transitions`,
        headers: { authorization: `Bearer ${token}` },
        body: { toStatus: s.status === a ? c : a, reason: 'bench: stream', version: s.version },
      });
      moves++;
      if (res.status !== 200) {
        failedMoves++;
        const ev = await gw.json<ContractEventView>('GET', `/v1/events/${s.id}`, token);
        Object.assign(s, { version: ev.version, status: ev.status });
        continue;
      }
      const ev = JSON.parse(res.body);
      Object.assign(s, { version: ev.version, status: ev.status });
      if (measured) measuredMoves++;
    }
    const measuredMs = Date.now() - measureFrom;
    // Wait for the last messages (coalescing window, fan-out) to arrive everywhere.
    const expected = measuredMoves * STREAMS;
    const deadline = Date.now() + 10_000;
    while (received < expected && Date.now() < deadline) await sleep(50);
    const dropped = streams.filter((s) => s.ended).length;
    const m: Measurement = {
      key: 'stream.fanout-1000',
      label: `${STREAMS} open streams, ${perSecond} event moves/s: event → client`,
      throughput: (received / measuredMs) * 1000,
      unit: 'msg/s',
      count: received,
      durationMs: measuredMs,
      latencyMs: latency.summary(),
      errors: expected - received + failedMoves,
      notes: `includes the 250 ms coalescing window; ${measuredMoves} moves measured × ${STREAMS} streams = ${expected} messages expected${dropped ? `; ${dropped} streams ended` : ''}${failedMoves ? `; ${failedMoves} moves failed` : ''}`,
      extra: {
        streams: STREAMS,
        connectMs,
        movesPerSecond: perSecond,
        upstreamMs: upstream.summary(),
        gatewayFanOutMs: fanOut.summary(),
        droppedStreams: dropped,
      },
    };
    return [m];
  } finally {
    for (const s of streams) s.close();
  }
}
