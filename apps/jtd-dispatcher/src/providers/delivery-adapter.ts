import type { IncomingHttpHeaders } from 'node:http';
import { RenderedMessage, TemplateRow } from '../templates/template-renderer';

/** Endpoints and secrets for one tenant (defaults from config, overridden by the tenant's provider profile). */
export interface ProviderCredentials {
  MSG91_BASE_URL: string;
  MSG91_WHATSAPP_BASE_URL: string;
  MSG91_AUTH_KEY: string;
  MSG91_SENDER_EMAIL: string;
  MSG91_SENDER_NAME: string;
  MSG91_EMAIL_DOMAIN: string;
  MSG91_SMS_SENDER: string;
  MSG91_WHATSAPP_NUMBER: string;
  FCM_BASE_URL: string;
  FCM_TOKEN_URL: string;
  FCM_SERVICE_ACCOUNT: string;
  PROVIDER_TIMEOUT_MS: number;
}

export interface SendRequest {
  jtdId: string;
  tenantId: string;
  recipientName: string;
  recipientId: string | null;
  contact: string;
  template: TemplateRow;
  rendered: RenderedMessage;
  metadata: Record<string, unknown>;
  credentials: ProviderCredentials;
}

/** The HTTP request an adapter would make; the sandbox stores it (with secrets masked) in test mode. */
export interface ProviderRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type SendOutcome =
  | { kind: 'sent'; providerMessageId: string; httpStatus?: number; response?: unknown }
  | { kind: 'retryable'; code: string; message: string; retryAfterMs?: number | null; httpStatus?: number }
  | { kind: 'permanent'; code: string; message: string; httpStatus?: number; deadToken?: string };

/** A delivery report mapped onto our statuses. */
export interface WebhookReport {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'bounced';
  reason?: string;
  providerCode?: string;
}

/**
 * What a webhook body holds: the reports that can be applied, how many items carry no usable report (no
 * request id, a status we do not track), and the items that are not reports at all, by where they sit.
 */
export interface WebhookParse {
  reports: WebhookReport[];
  ignored: number;
  malformed: Record<string, string[]>;
}

export interface ProviderResponse {
  status: number;
  /** Names in lower case, as node:http and undici give them. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the answer was JSON, else its text. */
  body: unknown;
}

export interface DeliveryAdapter {
  readonly channel: string;
  readonly provider: string;
  /** The request this message becomes, without sending it (what test mode stores). */
  buildRequest(req: SendRequest): Promise<ProviderRequest> | ProviderRequest;
  send(req: SendRequest): Promise<SendOutcome>;
  /** Maps a provider answer (or a network failure, `res` undefined) to sent / retryable / permanent. */
  classifyError(res: ProviderResponse | undefined, error?: unknown): SendOutcome;
  parseWebhook(body: unknown): WebhookParse;
}

export const SECRET_HEADERS = ['authkey', 'authorization'];

export function maskSecrets(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.includes(k.toLowerCase()) ? '***' : v;
  return out;
}
