import type { IncomingHttpHeaders } from 'node:http';
import type { Client, Dispatcher } from 'undici';
import { activeTraceparent, inSpan, SpanKind } from '@app/shared/observability/tracing';
import { ProviderRequest, ProviderResponse, SendOutcome } from './delivery-adapter';
import { asObject, field } from './json-fields';

/**
 * undici's Client alone: the package's index also loads fetch, WebSocket, caches and proxy agents, which the
 * dispatcher does not use, for about 2 MB more RSS (idle 118.3–119.8 MB against 116.5–116.9, goal 120). The
 * module has been at this path since undici 6; provider-http.spec.ts fails at once if an upgrade moves it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const UndiciClient: typeof Client = require('undici/lib/dispatcher/client');

/**
 * Kept-alive connections per provider origin, each an undici Client (the HTTP client Node's own fetch is built
 * on, without fetch's WHATWG layers: fetch cost about 1 ms of CPU per call here). Against node:http's keep-alive
 * agent it cut the client's CPU per call from 43–56 to 16–18 µs against a local server (BENCHMARKS.md, twelfth
 * round), and a provider call is one per job. At most 64 connections per origin, one call on each at a time: beyond that
 * calls wait for one (inside their timeout) instead of opening and closing a connection each.
 *
 * The connections are handed out here rather than by undici's Pool, as node:http's agent handed out its
 * sockets: the provider's time starts when a call has its connection, before it connects (DNS, TCP, TLS are
 * the provider's time), and a call that fails or runs out of time destroys its connection, a connect in
 * progress included. Pool's queue cannot do either: a request waits there until it is connected, and a
 * connect that hangs (a provider name that does not resolve, say) keeps its place.
 */
const CONNECTIONS_PER_ORIGIN = 64;

class Origin {
  private readonly idle: Client[] = [];
  private open = 0;
  private readonly waiting: Array<(client: Client) => void> = [];

  constructor(private readonly origin: string) {}

  /** A connection of its own for one call; rejects after `waitMs` when none is free. */
  take(waitMs: number, onTimeout: () => Error): Promise<Client> {
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.open < CONNECTIONS_PER_ORIGIN) {
      this.open++;
      return Promise.resolve(this.connection());
    }
    return new Promise((resolve, reject) => {
      const give = (client: Client) => {
        clearTimeout(timer);
        resolve(client);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(give), 1);
        reject(onTimeout());
      }, waitMs);
      this.waiting.push(give);
    });
  }

  /** Back after a call: kept for the next one, or, after a failure, destroyed and replaced. */
  give(client: Client, healthy: boolean): void {
    if (!healthy) client.destroy().catch(() => undefined);
    const next = this.waiting.shift();
    if (next) next(healthy ? client : this.connection());
    else if (healthy) this.idle.push(client);
    else this.open--;
  }

  /** A new connection: one call at a time on it (no pipelining), connected on its first call. */
  private connection(): Client {
    return new UndiciClient(this.origin, { pipelining: 1 });
  }
}

const ORIGINS = new Map<string, Origin>();

function originOf(url: URL): Origin {
  let origin = ORIGINS.get(url.origin);
  if (!origin) ORIGINS.set(url.origin, (origin = new Origin(url.origin)));
  return origin;
}

/**
 * One provider call with a hard timeout (from the moment it has a connection of the origin's to the end of the
 * body; the error is named `TimeoutError`); the body is parsed as JSON when it is JSON.
 */
export function callProvider(req: ProviderRequest, timeoutMs: number, rawBody?: string): Promise<ProviderResponse> {
  const url = new URL(req.url);
  // The provider hop of the trace: a client span under the send, its traceparent in the request's headers.
  const attributes = { 'http.request.method': req.method, 'server.address': url.hostname, 'url.path': url.pathname };
  return inSpan(`${req.method} ${url.host}`, { kind: SpanKind.CLIENT, parent: activeTraceparent(), attributes }, async (traceparent, span) => {
    const res = await exchange(traceparent ? { ...req, headers: { ...req.headers, traceparent } } : req, url, timeoutMs, rawBody);
    span.setAttribute('http.response.status_code', res.status);
    return res;
  });
}

/** How long a call may wait for a connection, in provider timeouts. */
const QUEUE_WAIT_FACTOR = 2;

function timeoutError(message: string): Error {
  const e = new Error(message);
  e.name = 'TimeoutError';
  return e;
}

async function exchange(req: ProviderRequest, url: URL, timeoutMs: number, rawBody?: string): Promise<ProviderResponse> {
  const body = rawBody ?? JSON.stringify(req.body);
  const origin = originOf(url);
  // The wait for a connection is ours, not the provider's: a burst of sends must not time out, nor count against
  // the provider's circuit, for waiting behind each other. The wait itself is bounded too.
  const queueWait = QUEUE_WAIT_FACTOR * timeoutMs;
  const client = await origin.take(queueWait, () => timeoutError(`no connection to the provider within ${queueWait} ms`));
  return new Promise<ProviderResponse>((resolve, reject) => {
    let settled = false;
    const settle = (healthy: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      origin.give(client, healthy);
      fn();
    };
    const timer = setTimeout(() => {
      const err = timeoutError(`provider did not answer within ${timeoutMs} ms`);
      settle(false, () => reject(err));
    }, timeoutMs);
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      // undici tells this handler's API (onRequestStart … onResponseError) from its older one by this method.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        settle(true, () => resolve({ status, headers, body: parsed(Buffer.concat(chunks).toString('utf8')) }));
      },
      onResponseError(_controller, err) {
        settle(false, () => reject(err));
      },
    };
    try {
      client.dispatch({ method: req.method as Dispatcher.HttpMethod, path: url.pathname + url.search, headers: req.headers, body }, handler);
    } catch (err) {
      settle(false, () => reject(err as Error));
    }
  });
}

function parsed(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text; // some provider errors are HTML or plain text
  }
}

/** The HTTP-level part every adapter shares: network failures, 429 and 5xx retry; other 4xx are permanent. */
export function classifyHttp(res: ProviderResponse | undefined, error: unknown, fallbackMessage: string): SendOutcome | null {
  if (!res) {
    const name = (error as Error)?.name;
    const timeout = name === 'TimeoutError' || name === 'AbortError';
    return {
      kind: 'retryable',
      code: timeout ? 'TIMEOUT' : 'NETWORK',
      message: timeout ? 'provider did not answer in time' : `network error: ${(error as Error)?.message ?? error}`,
    };
  }
  const retryAfter = res.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, new Date());
  if (res.status === 429) return { kind: 'retryable', code: 'RATE_LIMITED', message: 'provider rate limit', retryAfterMs, httpStatus: 429 };
  if (res.status >= 500)
    return { kind: 'retryable', code: `HTTP_${res.status}`, message: `provider error ${res.status}`, retryAfterMs, httpStatus: res.status };
  if (res.status >= 400) return { kind: 'permanent', code: `HTTP_${res.status}`, message: describe(res.body) ?? fallbackMessage, httpStatus: res.status };
  return null;
}

function describe(body: unknown): string | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') return body.slice(0, 300);
  const b = asObject(body);
  return String(b?.message ?? field(b, 'error', 'message') ?? b?.errors ?? JSON.stringify(body)).slice(0, 300);
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
