import { SYSTEM_ACTORS } from '@app/shared/context/actor';
import { job, template } from '../../test/support/unit-factories';
import { DeliveryAdapter, ProviderCredentials, SendOutcome, SendRequest } from '../providers/delivery-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { SECRET_MASK } from '../templates/message-composer';
import { InappDelivery } from './inapp-delivery';
import { PreparedSend } from './prepared-send';
import { ProviderFailover } from './provider-failover';
import { SendStep } from './send.step';

/** An SMS adapter that records what it is asked and answers as told. */
function adapter(answer: (req: SendRequest) => Promise<SendOutcome>) {
  const sent: SendRequest[] = [];
  const a: DeliveryAdapter = {
    channel: 'sms',
    provider: 'msg91',
    buildRequest: (req) => ({
      method: 'POST',
      url: 'https://control.msg91.com/api/v5/flow',
      headers: { authkey: 'real-key', 'content-type': 'application/json' },
      body: { text: req.rendered.body },
    }),
    send: async (req) => {
      sent.push(req);
      return answer(req);
    },
    classifyError: () => ({ kind: 'permanent', code: 'X', message: 'x' }),
    parseWebhook: () => ({ reports: [], ignored: 0, malformed: {} }),
  };
  return { a, sent };
}

function step(a: DeliveryAdapter) {
  const providers = { adapter: (channel: string) => (channel === 'sms' ? a : undefined) } as unknown as ProviderRegistry;
  const inapp = {
    deliver: async (p: PreparedSend): Promise<SendOutcome> => ({ kind: 'sent', providerMessageId: `inbox:${p.job.id}` }),
  } as unknown as InappDelivery;
  // The provider chain is ProviderFailover's business (provider-failover.spec.ts): here one provider, called directly.
  const failover = {
    send: async (_channel: string, req: SendRequest) => ({ outcome: await a.send(req), provider: a.provider, attempts: [] }),
  } as unknown as ProviderFailover;
  return new SendStep(providers, inapp, failover);
}

/** A prepared OTP send: the provider's copy opens the code, the kept copy masks it. */
function otp(over: Parameters<typeof job>[0] = {}): PreparedSend {
  const j = job({ channelCode: 'sms', ...over });
  const shown = {
    subject: null,
    body: `Your code is ${SECRET_MASK}.`,
    html: null,
    params: [{ name: 'otp', value: SECRET_MASK }],
    values: { otp: SECRET_MASK },
  };
  const rendered = { ...shown, body: 'Your code is 804013.', params: [{ name: 'otp', value: '804013' }], values: { otp: '804013' } };
  return {
    job: j,
    actor: SYSTEM_ACTORS.system,
    channelCost: '0.7500',
    shown,
    secrets: ['804013'],
    request: {
      jtdId: j.id,
      tenantId: j.tenantId,
      recipientName: 'R',
      recipientId: null,
      contact: '+919812345678',
      template: template({ channelCode: 'sms' }),
      rendered,
      metadata: {},
      credentials: {} as ProviderCredentials,
    },
  };
}

describe('sending', () => {
  it('sends the opened message to the provider, and masks the secret wherever the provider echoes it', async () => {
    const { a, sent } = adapter(async (req) => ({ kind: 'permanent', code: 'MSG91_ERROR', message: `refused: ${req.rendered.body}` }));
    const [result] = await step(a).send([otp()]);
    expect(sent[0].rendered.body).toBe('Your code is 804013.');
    expect(result.outcome).toEqual({ kind: 'permanent', code: 'MSG91_ERROR', message: `refused: Your code is ${SECRET_MASK}.` });
  });

  it('in test mode calls no provider and keeps the request it would have made, from the masked message, key masked', async () => {
    const { a, sent } = adapter(async () => ({ kind: 'sent', providerMessageId: 'never' }));
    const [result] = await step(a).send([otp({ isLive: false })]);
    expect(sent).toEqual([]);
    expect(result.outcome).toEqual({ kind: 'sent', providerMessageId: 'sandbox:pending' });
    expect(result.sandbox).toEqual({
      provider: 'msg91',
      request: {
        method: 'POST',
        url: 'https://control.msg91.com/api/v5/flow',
        headers: { authkey: '***', 'content-type': 'application/json' },
        body: { text: `Your code is ${SECRET_MASK}.` },
      },
    });
  });

  it('turns an unexpected error into a retryable DISPATCH_ERROR, and a channel without an adapter into a permanent failure', async () => {
    const { a } = adapter(async () => {
      throw new Error('socket hang up');
    });
    const results = await step(a).send([otp(), otp({ channelCode: 'whatsapp' })]);
    const [thrown, none] = ['sms', 'whatsapp'].map((channel) => results.find((r) => r.send.job.channelCode === channel)!);
    expect(thrown.outcome).toEqual({ kind: 'retryable', code: 'DISPATCH_ERROR', message: 'socket hang up' });
    expect(none.outcome).toEqual({ kind: 'permanent', code: 'NO_ADAPTER', message: 'no adapter for whatsapp' });
  });

  it('sends higher priorities first, the same priority together', async () => {
    const order: number[] = [];
    const { a } = adapter(async (req) => {
      order.push(Number(req.jtdId === low.job.id ? 1 : 9));
      return { kind: 'sent', providerMessageId: req.jtdId };
    });
    const low = otp({ priority: 1 });
    const high = otp({ priority: 9 });
    const results = await step(a).send([low, high]);
    expect(order).toEqual([9, 1]);
    expect(results.map((r) => r.send.job.priority)).toEqual([9, 1]);
  });
});
