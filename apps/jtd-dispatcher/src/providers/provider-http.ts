import { parseRetryAfter } from '../pipeline/retry-policy';
import { ProviderRequest, ProviderResponse, SendOutcome } from './delivery-adapter';

/** One provider call with Node's fetch and a hard timeout; the body is parsed as JSON when it is JSON. */
export async function callProvider(req: ProviderRequest, timeoutMs: number, rawBody?: string): Promise<ProviderResponse> {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: rawBody ?? JSON.stringify(req.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the raw text: some provider errors are HTML or plain
  }
  return { status: res.status, headers: res.headers, body };
}

/** The HTTP-level part every adapter shares: network failures, 429 and 5xx retry; other 4xx are permanent. */
export function classifyHttp(res: ProviderResponse | undefined, error: unknown, fallbackMessage: string): SendOutcome | null {
  if (!res) {
    const name = (error as Error)?.name;
    const timeout = name === 'TimeoutError' || name === 'AbortError';
    return { kind: 'retryable', code: timeout ? 'TIMEOUT' : 'NETWORK', message: timeout ? 'provider did not answer in time' : `network error: ${(error as Error)?.message ?? error}` };
  }
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), new Date());
  if (res.status === 429) return { kind: 'retryable', code: 'RATE_LIMITED', message: 'provider rate limit', retryAfterMs, httpStatus: 429 };
  if (res.status >= 500) return { kind: 'retryable', code: `HTTP_${res.status}`, message: `provider error ${res.status}`, retryAfterMs, httpStatus: res.status };
  if (res.status >= 400) return { kind: 'permanent', code: `HTTP_${res.status}`, message: describe(res.body) ?? fallbackMessage, httpStatus: res.status };
  return null;
}

function describe(body: any): string | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') return body.slice(0, 300);
  return String(body.message ?? body.error?.message ?? body.errors ?? JSON.stringify(body)).slice(0, 300);
}
