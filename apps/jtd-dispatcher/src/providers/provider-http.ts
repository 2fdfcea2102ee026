import http from 'node:http';
import https from 'node:https';
import { activeTraceparent, inSpan, SpanKind } from '@app/shared/observability/tracing';
import { ProviderRequest, ProviderResponse, SendOutcome } from './delivery-adapter';
import { asObject, field } from './json-fields';

/**
 * Kept-alive connections per provider origin. node:http rather than fetch: fetch (undici) cost about 1 ms
 * of CPU per call here, the largest share of the dispatcher's own CPU per job under load. At most 64
 * connections per origin, all kept: beyond that calls queue (inside their timeout) instead of opening and
 * closing a connection each.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64 };
const AGENTS = { 'http:': new http.Agent(AGENT_OPTIONS), 'https:': new https.Agent(AGENT_OPTIONS) };

/**
 * One provider call with a hard timeout (from the start of the call to the end of the body, like
 * `AbortSignal.timeout`; the error is named `TimeoutError`); the body is parsed as JSON when it is JSON.
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

/** How long a request may wait for one of the agent's sockets, in provider timeouts. */
const QUEUE_WAIT_FACTOR = 2;

function exchange(req: ProviderRequest, url: URL, timeoutMs: number, rawBody?: string): Promise<ProviderResponse> {
  const payload = rawBody ?? JSON.stringify(req.body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<ProviderResponse>((resolve, reject) => {
    const call = client.request(
      url,
      { method: req.method, headers: { ...req.headers, 'content-length': Buffer.byteLength(payload) }, agent: AGENTS[url.protocol as keyof typeof AGENTS] },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // keep the raw text: some provider errors are HTML or plain
          }
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, x);
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      },
    );
    const expire = (why: string) => () => {
      const e = new Error(why);
      e.name = 'TimeoutError';
      call.destroy(e);
    };
    // The provider's time counts from when the request has a connection: a burst of sends waits for one of
    // the agent's sockets first, and that wait is ours, not the provider's (it must not time sends out, nor
    // count against the provider's circuit). The wait itself is bounded too.
    let timer = setTimeout(expire(`no connection to the provider within ${QUEUE_WAIT_FACTOR * timeoutMs} ms`), QUEUE_WAIT_FACTOR * timeoutMs);
    call.once('socket', () => {
      clearTimeout(timer);
      timer = setTimeout(expire(`provider did not answer within ${timeoutMs} ms`), timeoutMs);
    });
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    call.on('error', fail);
    call.end(payload);
  });
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
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), new Date());
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
