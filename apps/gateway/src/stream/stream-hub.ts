import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { StreamSummary, StreamTopic } from '@app/shared/api/realtime/stream.dto';
import { MetricsService } from '@app/shared/observability/metrics.service';
import { GatewayConfig } from '../gateway.config';
import { ReplicaState, ResumeLog, SentMessage } from './resume-log';
import { StreamClient } from './stream-client';
import { decodePosition, encodePosition } from './stream-position';
import { StreamChange } from './stream-topics';

type ResetReason = 'unknown-id' | 'too-old' | 'slow-client' | 'broker-reconnected';

/** Changes of one object waiting for the end of their coalescing window. */
interface Pending {
  topic: StreamTopic;
  id: string;
  types: string[];
  at: string;
  summary: StreamSummary;
  recipient?: string;
}

interface TenantStreams {
  clients: Set<StreamClient>;
  pending: Map<string, Pending>;
}

/** Browsers wait this long before reconnecting (`retry:`). */
export const STREAM_RETRY_MS = 2000;

/**
 * The in-memory fan-out of one gateway replica: changes from the broker (StreamSubscriber), per tenant,
 * coalesced per object over a short window, sent to the tenant's open streams that want them, and kept
 * for a while (ResumeLog) so a client that reconnects — here or to another replica — gets what it missed.
 * No database work per change; memory is bounded by the resume log's limits, the coalescing window and
 * each client's buffer.
 */
@Injectable()
export class StreamHub implements OnModuleDestroy {
  private readonly logger = new Logger('Stream');
  private readonly tenants = new Map<string, TenantStreams>();
  private readonly log: ResumeLog;
  private readonly replica: ReplicaState = { epoch: newEpoch(), seq: 0, listeningSince: Infinity };
  private readonly heartbeat: NodeJS.Timeout;
  private readonly expiry: NodeJS.Timeout;
  private clientCount = 0;
  private readonly metrics;

  constructor(
    private readonly config: GatewayConfig,
    metrics: MetricsService,
  ) {
    this.log = new ResumeLog({
      windowMs: config.STREAM_RESUME_WINDOW_MS,
      perTenant: config.STREAM_RESUME_PER_TENANT,
      total: config.STREAM_RESUME_MAX_MESSAGES,
    });
    this.metrics = {
      open: metrics.gauge({ name: 'gateway_stream_connections', help: 'Open event streams on this replica' }),
      sent: metrics.counter({
        name: 'gateway_stream_messages_sent_total',
        help: 'Stream messages written to clients (one per client), by topic',
        labelNames: ['topic'],
      }),
      received: metrics.counter({ name: 'gateway_stream_changes_received_total', help: 'Domain events the stream turned into changes' }),
      coalesced: metrics.counter({ name: 'gateway_stream_changes_coalesced_total', help: 'Changes merged into a message already waiting for the same object' }),
      dropped: metrics.counter({
        name: 'gateway_stream_clients_dropped_total',
        help: 'Streams this replica ended, by reason (slow: the client did not read fast enough)',
        labelNames: ['reason'],
      }),
      resumed: metrics.counter({ name: 'gateway_stream_resumes_total', help: 'Streams opened with a Last-Event-ID, by outcome', labelNames: ['outcome'] }),
      logged: metrics.gauge({ name: 'gateway_stream_resume_log_messages', help: 'Messages kept for resuming' }),
    };
    this.heartbeat = setInterval(() => this.ping(), config.STREAM_HEARTBEAT_MS);
    this.heartbeat.unref();
    this.expiry = setInterval(() => (this.log.expire(Date.now()), this.metrics.logged.set(this.log.size)), 10_000);
    this.expiry.unref();
  }

  get connections(): number {
    return this.clientCount;
  }

  /**
   * The broker subscription is (again) in place. Everything from now on is heard; what happened while it
   * was not cannot be told, so ids from before are of another epoch, and open streams are told to reset.
   */
  listening(): void {
    const first = this.replica.listeningSince === Infinity && this.replica.seq === 0;
    this.replica.epoch = newEpoch();
    this.replica.listeningSince = Date.now();
    if (first && this.clientCount === 0) return;
    for (const tenant of this.tenants.values()) for (const client of tenant.clients) this.reset(client, 'broker-reconnected');
  }

  /** A change heard from the broker: merged into its object's waiting message, or the start of a new window. */
  receive(change: StreamChange): void {
    this.metrics.received.inc();
    const tenant = this.tenant(change.tenantId);
    const key = `${change.topic}:${change.id}`;
    const pending = tenant.pending.get(key);
    if (pending) {
      this.metrics.coalesced.inc();
      if (!pending.types.includes(change.type)) pending.types.push(change.type);
      pending.at = change.at;
      pending.summary = { ...pending.summary, ...change.summary };
      return;
    }
    tenant.pending.set(key, {
      topic: change.topic,
      id: change.id,
      types: [change.type],
      at: change.at,
      summary: { ...change.summary },
      recipient: change.recipient,
    });
    if (this.config.STREAM_COALESCE_MS === 0) return this.flush(change.tenantId, key);
    setTimeout(() => this.flush(change.tenantId, key), this.config.STREAM_COALESCE_MS).unref();
  }

  /**
   * Opens a client: `retry:`, then what it missed since `lastEventId` (or `reset` when that cannot be told),
   * then the current position, then live messages. All of it synchronously, so nothing sent meanwhile is
   * lost or doubled.
   */
  attach(client: StreamClient, lastEventId: string | undefined, expiresAt?: number): void {
    if (!client.open) return;
    let frames = `retry: ${STREAM_RETRY_MS}\n\n`;
    const now = Date.now();
    if (lastEventId !== undefined) {
      const from = decodePosition(lastEventId);
      const answer = from ? this.log.since(client.tenantId, from, this.replica, now) : ({ reset: 'unknown-id' } as const);
      if ('reset' in answer) {
        this.metrics.resumed.inc({ outcome: 'reset' });
        frames += resetFrame(answer.reset, this.position(now));
      } else {
        this.metrics.resumed.inc({ outcome: 'replayed' });
        frames += replayFrames(
          answer.messages.filter((m) => client.wants(m.topic, m.recipient)),
          this.replica.epoch,
        );
      }
    }
    frames += `id: ${this.position(now)}\n\n`;
    client.write(frames, 0);
    const tenant = this.tenant(client.tenantId);
    tenant.clients.add(client);
    this.clientCount++;
    this.metrics.open.set(this.clientCount);
    let expiry: NodeJS.Timeout | undefined;
    if (expiresAt !== undefined) {
      // The token ends, so does the stream: the client reconnects with a fresh one (or learns it has none).
      expiry = setTimeout(() => (this.metrics.dropped.inc({ reason: 'token_expired' }), client.end()), Math.min(Math.max(0, expiresAt - now), 2 ** 31 - 1));
      expiry.unref();
    }
    client.onClose(() => {
      clearTimeout(expiry);
      if (tenant.clients.delete(client)) {
        this.clientCount--;
        this.metrics.open.set(this.clientCount);
      }
      this.forgetIfIdle(client.tenantId);
    });
  }

  /** Ends every stream (the gateway stops): clients reconnect to another replica after `retry`. */
  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.expiry);
    for (const tenant of this.tenants.values()) for (const client of [...tenant.clients]) client.end();
  }

  private flush(tenantId: string, key: string): void {
    const tenant = this.tenants.get(tenantId);
    const pending = tenant?.pending.get(key);
    if (!tenant || !pending) return;
    tenant.pending.delete(key);
    const sentAt = Date.now();
    const message: SentMessage = { seq: ++this.replica.seq, sentAt, tenantId, ...pending };
    this.log.append(message);
    const frame = messageFrame(message, this.replica.epoch);
    const bytes = Buffer.byteLength(frame);
    let sent = 0;
    for (const client of tenant.clients) {
      if (!client.wants(message.topic, message.recipient)) continue;
      if (client.write(frame, bytes)) sent++;
      else this.dropSlow(client);
    }
    if (sent) this.metrics.sent.inc({ topic: message.topic }, sent);
    this.forgetIfIdle(tenantId);
  }

  /** Every client gets a comment now and then (proxies and browsers keep the connection), with the current position. */
  private ping(): void {
    const frame = `: ping\nid: ${this.position(Date.now())}\n\n`;
    const bytes = Buffer.byteLength(frame);
    for (const tenant of this.tenants.values()) for (const client of tenant.clients) if (!client.write(frame, bytes)) this.dropSlow(client);
  }

  private dropSlow(client: StreamClient): void {
    if (!client.open) return;
    this.metrics.dropped.inc({ reason: 'slow' });
    this.logger.warn(`dropping a stream of tenant ${client.tenantId}: the client does not read fast enough`);
    this.reset(client, 'slow-client');
  }

  /** `reset` and the end of the stream: the client refetches, then reconnects from the current position. */
  private reset(client: StreamClient, reason: ResetReason): void {
    client.end(resetFrame(reason, this.position(Date.now())));
  }

  private position(now: number): string {
    return encodePosition({ epoch: this.replica.epoch, seq: this.replica.seq, time: now });
  }

  private tenant(tenantId: string): TenantStreams {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) this.tenants.set(tenantId, (tenant = { clients: new Set(), pending: new Map() }));
    return tenant;
  }

  private forgetIfIdle(tenantId: string): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant && tenant.clients.size === 0 && tenant.pending.size === 0) this.tenants.delete(tenantId);
  }
}

function newEpoch(): string {
  return BigInt(`0x${randomBytes(5).toString('hex')}`)
    .toString(36)
    .padStart(8, '0');
}

function messageFrame(m: SentMessage, epoch: string): string {
  const data = JSON.stringify({ topic: m.topic, id: m.id, types: m.types, at: m.at, summary: m.summary });
  return `id: ${encodePosition({ epoch, seq: m.seq, time: m.sentAt })}\nevent: ${m.topic}\ndata: ${data}\n\n`;
}

function resetFrame(reason: ResetReason, position: string): string {
  return `id: ${position}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

/** What a client missed, one message per object (its changes merged, in the order of each object's last one). */
function replayFrames(messages: SentMessage[], epoch: string): string {
  const byObject = new Map<string, SentMessage>();
  for (const m of messages) {
    const key = `${m.topic}:${m.id}`;
    const seen = byObject.get(key);
    // Re-inserted so that the map's order is that of each object's last message.
    byObject.delete(key);
    byObject.set(
      key,
      seen ? { ...m, types: [...seen.types, ...m.types.filter((t) => !seen.types.includes(t))], summary: { ...seen.summary, ...m.summary } } : m,
    );
  }
  let frames = '';
  for (const m of byObject.values()) frames += messageFrame(m, epoch);
  return frames;
}
