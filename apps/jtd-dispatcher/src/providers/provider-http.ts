import type { IncomingHttpHeaders } from 'node:http';
import { Dispatcher, Pool } from 'undici';
import { activeTraceparent, inSpan, SpanKind } from '@app/shared/observability/tracing';
import { ProviderRequest, ProviderResponse, SendOutcome } from './delivery-adapter';
import { asObject, field } from './json-fields';

/**
 * Kept-alive connections per provider origin, through undici's Pool (the HTTP client Node's own fetch is
 * built on, without fetch's WHATWG layers: fetch cost about 1 ms of CPU per call here). Against node:http's
 * keep-alive agent it halved the client's CPU per call (43 → 21 µs on a local server, BENCHMARKS.md twelfth
 * round), and a provider call is one per job. At most 64 connections per origin: beyond that calls queue
 * (inside their timeout) instead of opening and closing a connection each.
 */
const CONNECTIONS_PER_ORIGIN = 64;
const POOLS = new Map<string, Pool>();

function poolOf(url: URL): Pool {
  let pool = POOLS.get(url.origin);
  if (!pool) POOLS.set(url.origin, (pool = new Pool(url.origin, { connections: CONNECTIONS_PER_ORIGIN })));
  return pool;
}

/**
 * One provider call with a hard timeout (from the moment it has a connection to the end of the body; the
 * error is named `TimeoutError`); the body is parsed as JSON when it is JSON.
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

/** How long a request may wait for one of the pool's connections, in provider timeouts. */
const QUEUE_WAIT_FACTOR = 2;

function timeoutError(message: string): Error {
  const e = new Error(message);
  e.name = 'TimeoutError';
  return e;
}

function exchange(req: ProviderRequest, url: URL, timeoutMs: number, rawBody?: string): Promise<ProviderResponse> {
  const body = rawBody ?? JSON.stringify(req.body);
  return new Promise<ProviderResponse>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    // The provider's time counts from when the request has a connection: a burst of sends waits for one of
    // the pool's connections first, and that wait is ours, not the provider's (it must not time sends out, nor
    // count against the provider's circuit). The wait itself is bounded too; a request that reaches a
    // connection after its caller gave up is aborted there.
    const queueWait = QUEUE_WAIT_FACTOR * timeoutMs;
    let timer = setTimeout(() => settle(() => reject(timeoutError(`no connection to the provider within ${queueWait} ms`))), queueWait);
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        if (settled) return controller.abort(timeoutError('the caller stopped waiting'));
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(timeoutError(`provider did not answer within ${timeoutMs} ms`)), timeoutMs);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        settle(() => resolve({ status, headers, body: parsed(Buffer.concat(chunks).toString('utf8')) }));
      },
      onResponseError(_controller, err) {
        settle(() => reject(err));
      },
    };
    poolOf(url).dispatch({ method: req.method as Dispatcher.HttpMethod, path: url.pathname + url.search, headers: req.headers, body }, handler);
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
