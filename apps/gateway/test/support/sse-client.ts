import type { StreamMessage } from '@app/shared/api/realtime/stream.dto';
import type { ProblemDetails } from '../../src/http/problem-details';
import http, { IncomingMessage } from 'node:http';
import { eventually } from '@app/shared/testing/eventually';

/** One block of a text/event-stream: its fields, `data` parsed as JSON when it is. */
export interface SseBlock {
  id?: string;
  event?: string;
  data?: unknown;
  retry?: number;
  comment?: string;
}

/** A message of a topic (not `reset`). */
export type ChangeBlock = SseBlock & { data: StreamMessage };

/**
 * A test's server-sent event client over node:http: the status and headers, every block as it arrives
 * (comments and id-only blocks included, which EventSource hides), and the last id the way a browser keeps
 * it (the `Last-Event-ID` it would send when reconnecting).
 */
export class SseStream {
  readonly blocks: SseBlock[] = [];
  /** What a browser would send as Last-Event-ID after what arrived so far. */
  lastEventId?: string;
  ended = false;
  body = '';
  private buffer = '';
  private readonly request: http.ClientRequest;

  private constructor(
    readonly status: number,
    readonly headers: IncomingMessage['headers'],
    request: http.ClientRequest,
    response: IncomingMessage,
  ) {
    this.request = request;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (this.status !== 200) this.body += chunk;
      else this.push(chunk);
    });
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
  }

  /** Opens `url`; resolves once the head arrived (whatever the status). */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) =>
        resolve(new SseStream(res.statusCode ?? 0, res.headers, req, res)),
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    });
  }

  /** The messages (blocks with an `event:`), in order. */
  get messages(): SseBlock[] {
    return this.blocks.filter((b) => b.event !== undefined);
  }

  /** The messages of these topics (not `reset`): their data is a StreamMessage. */
  changes(...topics: string[]): ChangeBlock[] {
    return this.messages.filter((m): m is ChangeBlock => m.event !== 'reset' && (topics.length === 0 || topics.includes(m.event!)));
  }

  /** Waits until `predicate` holds over what arrived (default 10 s). */
  async until<T>(predicate: (s: SseStream) => T | undefined | null | false | 0 | '', timeoutMs = 10_000): Promise<T> {
    return eventually(
      () => {
        const v = predicate(this);
        if (!v) throw new Error(`the stream has not shown it yet; blocks so far: ${JSON.stringify(this.blocks).slice(-2000)}`);
        return v as T;
      },
      { timeoutMs, intervalMs: 20 },
    );
  }

  /** The body of a refusal (status ≠ 200), once complete. */
  async problem(): Promise<ProblemDetails> {
    await eventually(() => expectTrue(this.ended, 'the refusal has not ended'), { timeoutMs: 5000, intervalMs: 10 });
    return JSON.parse(this.body) as ProblemDetails;
  }

  close(): void {
    this.request.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const block: SseBlock = {};
      for (const line of text.split('\n')) {
        if (line.startsWith(':')) {
          block.comment = line.slice(1).trim();
          continue;
        }
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'id') block.id = value;
        else if (field === 'event') block.event = value;
        else if (field === 'retry') block.retry = Number(value);
        else if (field === 'data') block.data = parse(value);
      }
      if (block.id !== undefined) this.lastEventId = block.id;
      this.blocks.push(block);
    }
  }
}

function parse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function expectTrue(v: boolean, message: string): void {
  if (!v) throw new Error(message);
}
