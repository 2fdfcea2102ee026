import { DeliveryAdapter, ProviderRequest, ProviderResponse, SendOutcome, SendRequest, WebhookParse } from './delivery-adapter';
import { asObject } from './json-fields';
import { callProvider, classifyHttp } from './provider-http';

/** Where a generic HTTP SMS gateway listens and how to authenticate (one `JTD_CHANNEL_PROVIDERS` entry). */
export interface HttpSmsEndpoint {
  url: string;
  token?: string;
  sender?: string;
}

/**
 * A second SMS provider behind the same interface, for any gateway that takes one JSON POST per message:
 *
 *     POST <url>   authorization: Bearer <token>   content-type: application/json
 *     { "to": "+919812345678", "text": "<rendered body>", "sender": "<sender>", "reference": "<jtd id>" }
 *
 * 2xx with `id` or `messageId` (text) is accepted; 429 and 5xx (and network failures, timeouts) are
 * retryable, honouring Retry-After; other 4xx are permanent. Free text, not a DLT template: in India route
 * it only through a gateway that maps the text to a registered template. No delivery webhook.
 */
export class HttpSmsAdapter implements DeliveryAdapter {
  readonly channel = 'sms';
  readonly provider = 'http-sms';

  constructor(private readonly endpoint: HttpSmsEndpoint) {}

  buildRequest(req: SendRequest): ProviderRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.endpoint.token) headers.authorization = `Bearer ${this.endpoint.token}`;
    return {
      method: 'POST',
      url: this.endpoint.url,
      headers,
      body: { to: req.contact, text: req.rendered.body, sender: this.endpoint.sender ?? req.credentials.MSG91_SMS_SENDER, reference: req.jtdId },
    };
  }

  async send(req: SendRequest): Promise<SendOutcome> {
    let res: ProviderResponse | undefined;
    try {
      res = await callProvider(this.buildRequest(req), req.credentials.PROVIDER_TIMEOUT_MS);
    } catch (err) {
      return this.classifyError(undefined, err);
    }
    return this.classifyError(res);
  }

  classifyError(res: ProviderResponse | undefined, error?: unknown): SendOutcome {
    const http = classifyHttp(res, error, 'SMS gateway refused the request');
    if (http) return http;
    const b = asObject(res?.body);
    const id = b?.id ?? b?.messageId;
    if (typeof id === 'string' && id !== '') return { kind: 'sent', providerMessageId: id, httpStatus: res?.status, response: res?.body };
    return { kind: 'permanent', code: 'NO_REQUEST_ID', message: 'SMS gateway accepted the request but returned no message id', httpStatus: res?.status };
  }

  parseWebhook(): WebhookParse {
    return { reports: [], ignored: 0, malformed: { payload: ['the generic SMS gateway has no delivery webhook'] } };
  }
}
