import { HttpSmsAdapter } from './http-sms.adapter';
import { channelProviderSecretProblems, parseChannelProviders } from './provider-chain';

describe('JTD_CHANNEL_PROVIDERS', () => {
  it('reads each channel’s providers in order, the adapter defaulting to the id when it names one', () => {
    const { chains, problems } = parseChannelProviders(
      JSON.stringify({
        sms: [
          { id: 'msg91' },
          { id: 'msg91-b', adapter: 'msg91', credentials: { MSG91_AUTH_KEY: 'k2' } },
          { id: 'gw', adapter: 'http-sms', url: 'https://sms.example/send', token: 't' },
        ],
      }),
    );
    expect(problems).toEqual([]);
    expect(chains.get('sms')!.map((e) => [e.id, e.adapter])).toEqual([
      ['msg91', 'msg91'],
      ['msg91-b', 'msg91'],
      ['gw', 'http-sms'],
    ]);
    expect(chains.get('sms')![1].credentials).toEqual({ MSG91_AUTH_KEY: 'k2' });
  });

  it('refuses what would send somewhere unintended, naming the entry', () => {
    const problems = (v: unknown) => parseChannelProviders(JSON.stringify(v)).problems;
    expect(problems({ fax: [{ id: 'msg91' }] })).toEqual(['fax: not an external channel (email, sms, whatsapp, push)']);
    expect(problems({ sms: [] })).toEqual(['sms: must be a non-empty list of providers']);
    expect(problems({ sms: [{ id: 'msg91' }, { id: 'msg91' }] })).toEqual(['sms[1]: id msg91 is used twice']);
    expect(problems({ push: [{ id: 'x', adapter: 'msg91' }] })).toEqual(['push[0]: adapter msg91 does not send push']);
    expect(problems({ sms: [{ id: 'gw', adapter: 'http-sms' }] })).toEqual(['sms[0]: an http-sms provider needs "url" (http(s)://…)']);
    expect(problems({ sms: [{ id: 'b', adapter: 'msg91', credentials: { MSG91_AUTHKEY: 'x' } }] })).toEqual(['sms[0]: unknown credential keys MSG91_AUTHKEY']);
    expect(problems({ sms: [{ id: 'b', adapter: 'msg91', secret: 'x' }] })).toEqual(['sms[0]: unknown keys secret']);
    expect(parseChannelProviders('not json').problems).toHaveLength(1);
  });

  it('production refuses placeholder secrets in the entries', () => {
    expect(channelProviderSecretProblems(JSON.stringify({ sms: [{ id: 'b', adapter: 'msg91', credentials: { MSG91_AUTH_KEY: 'change-me' } }] }))).toMatch(
      /^sms provider b: MSG91_AUTH_KEY /,
    );
    expect(channelProviderSecretProblems(JSON.stringify({ sms: [{ id: 'msg91' }] }))).toBeUndefined();
  });
});

describe('the generic HTTP SMS adapter', () => {
  const adapter = new HttpSmsAdapter({ url: 'https://sms.example/send', token: 'tok', sender: 'ACME' });
  const headers = {};

  it('posts the number, the rendered text, the sender and the job id with a bearer token', () => {
    const req = adapter.buildRequest({
      jtdId: 'job-1',
      contact: '+919812345678',
      rendered: { body: 'Hello' },
      credentials: { MSG91_SMS_SENDER: 'CNTNST' },
    } as never);
    expect(req).toEqual({
      method: 'POST',
      url: 'https://sms.example/send',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer tok' },
      body: { to: '+919812345678', text: 'Hello', sender: 'ACME', reference: 'job-1' },
    });
  });

  it('classifies answers: an id is sent, 429/5xx retry (Retry-After kept), other 4xx and an answer without id are permanent', () => {
    expect(adapter.classifyError({ status: 200, headers, body: { id: 'm-1' } })).toMatchObject({ kind: 'sent', providerMessageId: 'm-1' });
    expect(adapter.classifyError({ status: 202, headers, body: { messageId: 'm-2' } })).toMatchObject({ kind: 'sent', providerMessageId: 'm-2' });
    expect(adapter.classifyError({ status: 429, headers: { 'retry-after': '5' }, body: {} })).toMatchObject({
      kind: 'retryable',
      code: 'RATE_LIMITED',
      retryAfterMs: 5000,
    });
    expect(adapter.classifyError({ status: 502, headers, body: {} })).toMatchObject({ kind: 'retryable', code: 'HTTP_502' });
    expect(adapter.classifyError({ status: 400, headers, body: { message: 'bad number' } })).toMatchObject({
      kind: 'permanent',
      code: 'HTTP_400',
      message: 'bad number',
    });
    expect(adapter.classifyError({ status: 200, headers, body: {} })).toMatchObject({ kind: 'permanent', code: 'NO_REQUEST_ID' });
    expect(adapter.classifyError(undefined, Object.assign(new Error('t'), { name: 'TimeoutError' }))).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
  });
});
