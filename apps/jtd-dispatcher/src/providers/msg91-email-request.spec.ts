import { renderTemplate, TemplateRow } from '../templates/template-renderer';
import { SendRequest } from './delivery-adapter';
import { Msg91EmailAdapter } from './msg91-adapters';

const template = (contentHtml: string | null): TemplateRow => ({
  id: 't',
  tenantId: null,
  templateKey: 'payment_received_email_v1',
  channelCode: 'email',
  subject: 'Payment of {{amount}} received',
  content: 'Hello {{name}}, we received {{amount}}.',
  contentHtml,
  variables: [
    { name: 'name', required: true },
    { name: 'amount', required: true },
  ],
  providerTemplateId: 'cn_generic',
});

const request = (contentHtml: string | null): SendRequest => {
  const t = template(contentHtml);
  return {
    jtdId: 'j',
    tenantId: 'tenant',
    recipientName: 'Asha',
    recipientId: null,
    contact: 'asha@example.com',
    template: t,
    rendered: renderTemplate(t, { name: 'Asha', amount: '₹500.00' }),
    metadata: {},
    credentials: {
      MSG91_BASE_URL: 'http://msg91.test',
      MSG91_AUTH_KEY: 'k',
      MSG91_SENDER_EMAIL: 'no-reply@x.test',
      MSG91_SENDER_NAME: 'X',
      MSG91_EMAIL_DOMAIN: 'x.test',
    },
  } as unknown as SendRequest;
};

const variablesOf = (req: SendRequest) => {
  const body = new Msg91EmailAdapter().buildRequest(req).body as { recipients: Array<{ variables: Record<string, unknown> }> };
  return body.recipients[0].variables;
};

describe('MSG91 email request', () => {
  it('sends the rendered HTML version of a template as body_html beside the text body', () => {
    const vars = variablesOf(request('<p>Hello <b>{{name}}</b>, we received {{amount}}.</p>'));
    expect(vars).toMatchObject({
      subject: 'Payment of ₹500.00 received',
      body: 'Hello Asha, we received ₹500.00.',
      body_html: '<p>Hello <b>Asha</b>, we received ₹500.00.</p>',
    });
  });

  it('sends no body_html for a template without one', () => {
    expect(variablesOf(request(null))).not.toHaveProperty('body_html');
  });
});
