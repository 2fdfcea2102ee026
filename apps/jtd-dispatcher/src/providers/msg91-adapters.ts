import { DeliveryAdapter, ProviderRequest, ProviderResponse, SendOutcome, SendRequest, WebhookParse } from './delivery-adapter';
import { field, firstText } from './json-fields';
import { classifyMsg91Body, isRecord, mapMsg91Status, msg91Headers, msg91Mobile, webhookItems } from './msg91.common';
import { callProvider, classifyHttp } from './provider-http';

abstract class Msg91Adapter implements DeliveryAdapter {
  abstract readonly channel: string;
  readonly provider = 'msg91';
  abstract buildRequest(req: SendRequest): ProviderRequest;
  /** The provider's request id in an accepted answer. */
  protected abstract idOf(body: Record<string, unknown>): string | undefined;

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
    return classifyHttp(res, error, 'MSG91 refused the request') ?? classifyMsg91Body(res?.body, (b) => this.idOf(b));
  }

  parseWebhook(body: unknown): WebhookParse {
    const items = webhookItems(body);
    if (!items)
      return { reports: [], ignored: 0, malformed: { payload: ['not a MSG91 delivery report: expected a report, a list of reports or form fields'] } };
    const parse: WebhookParse = { reports: [], ignored: 0, malformed: {} };
    for (const { path, value } of items) {
      if (!isRecord(value)) {
        parse.malformed[path] = [`${path} must be a delivery report object, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`];
        continue;
      }
      const id = firstOf(value, ['requestId', 'request_id', 'requestID', 'message_id', 'uuid']);
      const status = firstOf(value, ['status', 'eventName', 'event', 'desc']);
      const bad = [id, status].filter((f) => f && typeof f.value !== 'string' && typeof f.value !== 'number');
      for (const f of bad) parse.malformed[`${path}.${f!.key}`] = [`${path}.${f!.key} must be text or a number`];
      if (bad.length) continue;
      const mapped = mapMsg91Status(status?.value);
      if (!id || String(id.value) === '' || !mapped) {
        parse.ignored++;
        continue;
      }
      const reason = firstOf(value, ['failureReason', 'failedReason', 'reason', 'description'])?.value;
      parse.reports.push({
        providerMessageId: String(id.value),
        status: mapped.status,
        providerCode: mapped.code,
        reason: typeof reason === 'string' ? reason.slice(0, 1000) : undefined,
      });
    }
    return parse;
  }
}

/** The first of `keys` the item has (not null), with its key: providers name the same thing differently. */
function firstOf(item: Record<string, unknown>, keys: string[]): { key: string; value: unknown } | undefined {
  const key = keys.find((k) => item[k] !== undefined && item[k] !== null);
  return key === undefined ? undefined : { key, value: item[key] };
}

/** MSG91 Email (template based): the MSG91 template id plus our rendered values (text, and HTML when the template has it) as variables. */
export class Msg91EmailAdapter extends Msg91Adapter {
  readonly channel = 'email';

  buildRequest(req: SendRequest): ProviderRequest {
    const c = req.credentials;
    return {
      method: 'POST',
      url: `${c.MSG91_BASE_URL}/api/v5/email/send`,
      headers: msg91Headers(c.MSG91_AUTH_KEY),
      body: {
        recipients: [
          {
            to: [{ email: req.contact, name: req.recipientName }],
            // The template's HTML version (contentHtml, rendered) rides as `body_html` for MSG91 templates that lay it out.
            variables: {
              ...req.rendered.values,
              subject: req.rendered.subject ?? '',
              body: req.rendered.body,
              ...(req.rendered.html !== null ? { body_html: req.rendered.html } : {}),
            },
          },
        ],
        from: { email: c.MSG91_SENDER_EMAIL, name: c.MSG91_SENDER_NAME },
        domain: c.MSG91_EMAIL_DOMAIN,
        template_id: req.template.providerTemplateId ?? req.template.templateKey,
      },
    };
  }

  protected idOf(b: Record<string, unknown>) {
    return firstText(field(b, 'data', 'unique_id'), field(b, 'data', 'request_id'), b.request_id, b.message_id);
  }
}

/** MSG91 SMS through a Flow (DLT template): variables keyed as declared in the template. */
export class Msg91SmsAdapter extends Msg91Adapter {
  readonly channel = 'sms';

  buildRequest(req: SendRequest): ProviderRequest {
    const c = req.credentials;
    const vars: Record<string, string> = {};
    for (const p of req.rendered.params) vars[p.name] = p.value;
    return {
      method: 'POST',
      url: `${c.MSG91_BASE_URL}/api/v5/flow`,
      headers: msg91Headers(c.MSG91_AUTH_KEY),
      body: {
        template_id: req.template.providerTemplateId ?? req.template.templateKey,
        sender: c.MSG91_SMS_SENDER,
        short_url: '0',
        recipients: [{ mobiles: msg91Mobile(req.contact), ...vars }],
      },
    };
  }

  protected idOf(b: Record<string, unknown>) {
    return b.type === 'success' ? firstText(b.message, b.request_id) : undefined;
  }
}

/** MSG91 WhatsApp approved template: name + positional `body_N` parameters in declaration order. */
export class Msg91WhatsappAdapter extends Msg91Adapter {
  readonly channel = 'whatsapp';

  buildRequest(req: SendRequest): ProviderRequest {
    const c = req.credentials;
    const components: Record<string, unknown> = {};
    req.rendered.params.forEach((p, i) => (components[`body_${i + 1}`] = { type: 'text', value: p.value }));
    if (typeof req.metadata.mediaUrl === 'string') components.header_1 = { type: 'image', value: req.metadata.mediaUrl };
    if (typeof req.metadata.buttonSuffix === 'string') components.button_1 = { subtype: 'url', type: 'text', value: req.metadata.buttonSuffix };
    return {
      method: 'POST',
      url: `${c.MSG91_WHATSAPP_BASE_URL}/api/v5/whatsapp/whatsapp-outbound-message/bulk/`,
      headers: msg91Headers(c.MSG91_AUTH_KEY),
      body: {
        integrated_number: c.MSG91_WHATSAPP_NUMBER,
        content_type: 'template',
        payload: {
          messaging_product: 'whatsapp',
          type: 'template',
          template: {
            name: req.template.providerTemplateId ?? req.template.templateKey,
            language: { code: 'en', policy: 'deterministic' },
            to_and_components: [{ to: [msg91Mobile(req.contact)], components }],
          },
        },
      },
    };
  }

  protected idOf(b: Record<string, unknown>) {
    return firstText(b.request_id, field(b, 'data', 'request_id'), field(b, 'data', 'id'), b.message_id);
  }
}
