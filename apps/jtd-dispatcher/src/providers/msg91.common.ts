import { SendOutcome } from './delivery-adapter';
import { asObject } from './json-fields';

/**
 * MSG91 answers some failures with HTTP 200 and `type: "error"`. Of its legacy codes only 311 (duplicate
 * within 10 s) and 306 (route closed for now) are momentary; the rest (201/202 invalid mobile, 203 sender,
 * 207 authkey, 208/418 IP, 301 balance, 302/303 account) and codeless refusals are permanent: re-sending
 * the same request cannot succeed and risks a duplicate.
 */

export function classifyMsg91Body(body: unknown, idOf: (b: Record<string, unknown>) => string | undefined): SendOutcome {
  const b = asObject(body);
  const failed = !b || b.type === 'error' || b.hasError === true || b.status === 'fail' || b.status === 'error';
  if (!failed) {
    const id = idOf(b);
    if (id) return { kind: 'sent', providerMessageId: id, httpStatus: 200, response: body };
    return { kind: 'permanent', code: 'NO_REQUEST_ID', message: 'provider accepted the request but returned no request id' };
  }
  const code = String(b?.code ?? b?.errorCode ?? '');
  const message = String(b?.message ?? b?.errors ?? 'provider refused the message').slice(0, 300);
  if (code === '311') return { kind: 'retryable', code: 'MSG91_311', message: 'duplicate request within 10 s', retryAfterMs: 10000 };
  if (code === '306') return { kind: 'retryable', code: 'MSG91_306', message, retryAfterMs: 3600000 };
  return { kind: 'permanent', code: code ? `MSG91_${code}` : 'MSG91_ERROR', message };
}

export function msg91Headers(authKey: string): Record<string, string> {
  return { authkey: authKey, 'content-type': 'application/json', accept: 'application/json' };
}

/** Provider status words → ours (SMS numeric DLR codes included: 1 delivered, 2 failed, 9 NDNC, 16/25 rejected, 17 blocked). */
export function mapMsg91Status(raw: unknown): { status: 'sent' | 'delivered' | 'read' | 'failed' | 'bounced'; code?: string } | null {
  const v = String(raw ?? '')
    .trim()
    .toLowerCase();
  switch (v) {
    case '1':
    case 'delivered':
    case 'delivrd':
      return { status: 'delivered' };
    case 'read':
    case 'opened':
    case 'clicked':
      return { status: 'read' };
    case 'sent':
    case 'enqueued':
    case 'queued':
      return { status: 'sent' };
    case 'bounced':
    case 'bounce':
    case 'dropped':
    case 'hard_bounce':
      return { status: 'bounced' };
    case '2':
    case 'failed':
    case 'undeliv':
    case 'expired':
      return { status: 'failed', code: v };
    case '9':
    case 'ndnc':
      return { status: 'failed', code: 'NDNC' };
    case '16':
    case '25':
    case 'rejected':
    case 'rejectd':
      return { status: 'failed', code: 'REJECTED' };
    case '17':
    case 'blocked':
      return { status: 'failed', code: 'BLOCKED' };
    case 'complaint':
    case 'unsubscribed':
    case 'spam':
      return { status: 'failed', code: v.toUpperCase() };
    default:
      return null;
  }
}

/** One item of a webhook body and where it sits in the body (`payload.0.data.2`), to name it when it is malformed. */
export interface WebhookItem {
  path: string;
  value: unknown;
}

/**
 * Webhook bodies come as an object, an array, `{ data: [...] }` or with stringified JSON inside; or
 * form-encoded (`application/x-www-form-urlencoded`, as MSG91 posts when configured so), which arrives as
 * the raw string or as parsed fields: its fields become the object (`data=<JSON>` or flat `requestId=…&status=…`).
 * Answers null when the body is none of these. Items are not checked here: `null` in a list stays `null`.
 */
export function webhookItems(body: unknown): WebhookItem[] | null {
  let b: unknown = typeof body === 'string' ? parseTextBody(body) : body;
  if (isRecord(b) && typeof b.data === 'string') {
    try {
      b = { ...b, data: JSON.parse(b.data) };
    } catch {
      /* keep the text: the item then has no usable report and is ignored */
    }
  }
  const item = (path: string, value: unknown, inherited: Record<string, unknown> = {}): WebhookItem => ({
    path,
    value: isRecord(value) ? { ...inherited, ...value } : value,
  });
  if (Array.isArray(b)) {
    return b.flatMap((x, i) =>
      isRecord(x) && Array.isArray(x.data) ? x.data.map((d, j) => item(`payload.${i}.data.${j}`, d, { event: x.event })) : [item(`payload.${i}`, x)],
    );
  }
  if (!isRecord(b)) return null;
  const top = b;
  const withRequestId = (value: unknown) => (isRecord(value) ? { requestId: value.requestId ?? top.requestId } : {});
  if (Array.isArray(top.data)) return top.data.map((d, j) => ({ path: `payload.data.${j}`, value: isRecord(d) ? { ...d, ...withRequestId(d) } : d }));
  if (isRecord(top.data)) return [item('payload.data', { ...top.data, ...withRequestId(top.data) })];
  if (Array.isArray(top.report))
    return top.report.map((r, j) => ({ path: `payload.report.${j}`, value: isRecord(r) ? { ...r, requestId: top.requestId } : r }));
  return [item('payload', top)];
}

/** MSG91 wants digits in international format without `+`. */
export function msg91Mobile(e164: string): string {
  return e164.replace(/\D/g, '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseTextBody(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return null;
    }
  }
  if (!t.includes('=')) return null;
  return Object.fromEntries(new URLSearchParams(t));
}
