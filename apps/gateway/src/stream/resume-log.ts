import { StreamSummary, StreamTopic } from '@app/shared/api/realtime/stream.dto';
import { StreamPosition } from './stream-position';

/** One message a replica sent (to whoever of the tenant was listening), kept for resuming. */
export interface SentMessage {
  seq: number;
  /** When the replica sent it (ms, its clock). */
  sentAt: number;
  tenantId: string;
  topic: StreamTopic;
  id: string;
  types: string[];
  at: string;
  summary: StreamSummary;
  recipient?: string;
}

export interface ResumeLogLimits {
  /** Messages older than this are forgotten, and ids older than this get `reset`. */
  windowMs: number;
  /** At most this many messages per tenant. */
  perTenant: number;
  /** At most this many messages in all (the oldest go first, whatever their tenant). */
  total: number;
}

/** Another replica's clock and this one's may differ a little, and the two hear a change at slightly different times. */
export const FOREIGN_OVERLAP_MS = 2000;

export type ResumeAnswer = { messages: SentMessage[] } | { reset: 'unknown-id' | 'too-old' };

/** This replica's own subscription: ids of this epoch are exact; others resume by time, if it was listening then. */
export interface ReplicaState {
  epoch: string;
  /** The last seq sent. */
  seq: number;
  /** Since when this epoch hears every change (ms); Infinity before it listens. */
  listeningSince: number;
}

interface TenantLog {
  items: Fifo<SentMessage>;
  /** The newest message forgotten before its time (per-tenant or total limit): resuming before it is not possible. */
  forgottenSeq: number;
  forgottenAt: number;
}

/**
 * The messages each tenant was sent in the last `windowMs`, in the order they were sent, bounded per tenant
 * and in total, so a reconnecting client gets what it missed from any replica. Memory stays bounded by the
 * limits whatever the number of tenants; a tenant's record outlives its messages for one window, so a
 * resume can still tell that something was forgotten.
 */
export class ResumeLog {
  private readonly all = new Fifo<SentMessage>();
  private readonly tenants = new Map<string, TenantLog>();
  private readonly evicted = new WeakSet<SentMessage>();

  constructor(private readonly limits: ResumeLogLimits) {}

  get size(): number {
    return this.all.length;
  }

  append(m: SentMessage): void {
    const log = this.tenantLog(m.tenantId);
    log.items.push(m);
    this.all.push(m);
    while (log.items.length > this.limits.perTenant) this.forget(log, log.items.shift()!);
    this.expire(m.sentAt);
  }

  /** Forgets what is older than the window, and what is over the total. */
  expire(now: number): void {
    const horizon = now - this.limits.windowMs;
    for (let head = this.all.peek(); head && (this.all.length > this.limits.total || head.sentAt < horizon); head = this.all.peek()) {
      this.all.shift();
      if (this.evicted.has(head)) continue;
      const log = this.tenants.get(head.tenantId)!;
      // Both lists are in sending order: the tenant's oldest is this one.
      log.items.shift();
      this.forget(log, head);
    }
    for (const [tenantId, log] of this.tenants) if (log.items.length === 0 && log.forgottenAt < horizon) this.tenants.delete(tenantId);
  }

  /**
   * What a tenant was sent after `from`, or why that cannot be told: an id of this epoch resumes after its
   * seq; any other id by its time, less an overlap (a message may then come twice, never not at all).
   */
  since(tenantId: string, from: StreamPosition, replica: ReplicaState, now: number): ResumeAnswer {
    if (now - from.time > this.limits.windowMs) return { reset: 'too-old' };
    const log = this.tenants.get(tenantId);
    const items = log?.items.toArray() ?? [];
    if (from.epoch === replica.epoch) {
      if (from.seq > replica.seq) return { reset: 'unknown-id' };
      if (log && log.forgottenSeq > from.seq) return { reset: 'too-old' };
      return { messages: items.filter((m) => m.seq > from.seq) };
    }
    const since = from.time - FOREIGN_OVERLAP_MS;
    // This replica was not listening yet at that time: it cannot know what happened then.
    if (since < replica.listeningSince) return { reset: 'unknown-id' };
    if (log && log.forgottenAt >= since) return { reset: 'too-old' };
    return { messages: items.filter((m) => m.sentAt >= since) };
  }

  private tenantLog(tenantId: string): TenantLog {
    let log = this.tenants.get(tenantId);
    if (!log) this.tenants.set(tenantId, (log = { items: new Fifo(), forgottenSeq: 0, forgottenAt: -Infinity }));
    return log;
  }

  private forget(log: TenantLog, m: SentMessage): void {
    this.evicted.add(m);
    log.forgottenSeq = Math.max(log.forgottenSeq, m.seq);
    log.forgottenAt = Math.max(log.forgottenAt, m.sentAt);
  }
}

/** A queue on an array: push at the end, shift from the front in O(1) (the array is compacted now and then). */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }
}
