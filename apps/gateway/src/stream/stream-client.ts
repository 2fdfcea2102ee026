import type { ServerResponse } from 'node:http';
import { StreamTopic } from '@app/shared/api/realtime/stream.dto';

/** After its last words, a client that does not read them is cut off after this long. */
const END_GRACE_MS = 5000;

export interface StreamClientOptions {
  tenantId: string;
  userId: string;
  topics: ReadonlySet<StreamTopic>;
  response: ServerResponse;
  /** Bytes written but not yet taken by the client; above it the client is too slow and is dropped. */
  maxBufferedBytes: number;
}

/**
 * One open stream: what it receives (tenant, topics, user for inbox items) and its connection. Frames go
 * straight to the socket; what the client has not read yet stays in the socket's buffer, and that buffer is
 * the client's bounded queue: a write that would take it over `maxBufferedBytes` is refused, and the hub
 * then drops the client, so a slow reader costs at most that much memory.
 */
export class StreamClient {
  readonly tenantId: string;
  readonly userId: string;
  readonly topics: ReadonlySet<StreamTopic>;
  private readonly response: ServerResponse;
  private readonly maxBufferedBytes: number;
  private ended = false;
  private readonly onCloseCallbacks: Array<() => void> = [];

  constructor(options: StreamClientOptions) {
    this.tenantId = options.tenantId;
    this.userId = options.userId;
    this.topics = options.topics;
    this.response = options.response;
    this.maxBufferedBytes = options.maxBufferedBytes;
    this.response.once('close', () => this.closed());
    // A write to a connection that broke is not the process's problem: the stream just ends.
    this.response.on('error', () => this.closed());
    // The client may have gone while the request was being checked: then there is nothing to open.
    if (this.response.destroyed || this.response.socket?.destroyed) this.ended = true;
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Whether a message of this topic (an inbox item: for this recipient) is for this client. */
  wants(topic: StreamTopic, recipient: string | undefined): boolean {
    return this.topics.has(topic) && (topic !== 'inbox' || recipient === this.userId);
  }

  /** Writes a frame; false when the client has not taken enough of what it was sent (it is too slow). */
  write(frame: string, bytes: number): boolean {
    if (this.ended) return true;
    if (this.response.writableLength + bytes > this.maxBufferedBytes) return false;
    this.response.write(frame);
    return true;
  }

  /** Ends the stream, with a last frame; a client that does not take it within a few seconds is cut off. */
  end(lastFrame?: string): void {
    if (this.ended) return;
    this.ended = true;
    const res = this.response;
    if (res.destroyed) return this.closed();
    const timer = setTimeout(() => res.destroy(), END_GRACE_MS);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    res.end(lastFrame);
  }

  onClose(fn: () => void): void {
    this.onCloseCallbacks.push(fn);
  }

  private closed(): void {
    this.ended = true;
    const callbacks = this.onCloseCallbacks.splice(0);
    for (const fn of callbacks) fn();
  }
}
