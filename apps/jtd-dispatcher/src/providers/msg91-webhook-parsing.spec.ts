import { Msg91EmailAdapter, Msg91SmsAdapter, Msg91WhatsappAdapter } from './msg91-adapters';
import { checkRecipient } from '../delivery/recipient-validator';

describe('MSG91 delivery report parsing', () => {
  const reports = (adapter: Msg91SmsAdapter | Msg91EmailAdapter | Msg91WhatsappAdapter, body: unknown) => {
    const parse = adapter.parseWebhook(body);
    expect(parse.malformed).toEqual({});
    return parse.reports;
  };

  it('maps SMS numeric DLR codes, including NDNC and rejected', () => {
    const sms = new Msg91SmsAdapter();
    expect(reports(sms, { requestId: 'r1', status: '1' })).toEqual([
      { providerMessageId: 'r1', status: 'delivered', providerCode: undefined, reason: undefined },
    ]);
    expect(reports(sms, [{ requestId: 'r2', status: '9' }])[0]).toMatchObject({ status: 'failed', providerCode: 'NDNC' });
    expect(reports(sms, { requestId: 'r3', status: '16', failureReason: 'DLT' })[0]).toMatchObject({
      status: 'failed',
      providerCode: 'REJECTED',
      reason: 'DLT',
    });
  });

  it('reads the form-style body with stringified JSON data and per-number reports', () => {
    const sms = new Msg91SmsAdapter();
    const body = { data: JSON.stringify([{ requestId: 'r4', report: [{ status: '1' }] }]) };
    // Nested report arrays without a status on the item are ignored safely, and counted.
    expect(sms.parseWebhook(body)).toEqual({ reports: [], ignored: 1, malformed: {} });
    expect(reports(sms, { requestId: 'r5', report: [{ status: '2', desc: 'FAILED' }] })[0]).toMatchObject({ providerMessageId: 'r5', status: 'failed' });
  });

  it('reads form-encoded bodies: a data field with JSON, or flat fields', () => {
    const sms = new Msg91SmsAdapter();
    const data = new URLSearchParams({
      data: JSON.stringify([
        { requestId: 'f1', status: '1' },
        { requestId: 'f2', status: '9', failureReason: 'NDNC' },
      ]),
    }).toString();
    expect(reports(sms, data)).toEqual([
      { providerMessageId: 'f1', status: 'delivered', providerCode: undefined, reason: undefined },
      { providerMessageId: 'f2', status: 'failed', providerCode: 'NDNC', reason: 'NDNC' },
    ]);
    expect(reports(new Msg91EmailAdapter(), 'requestId=f3&eventName=delivered')).toEqual([
      { providerMessageId: 'f3', status: 'delivered', providerCode: undefined, reason: undefined },
    ]);
    // What a form parser in front of us would hand over: the fields as an object.
    expect(reports(sms, { data: JSON.stringify({ requestId: 'f4', status: '2' }) })[0]).toMatchObject({ providerMessageId: 'f4', status: 'failed' });
  });

  it('maps email events and WhatsApp statuses', () => {
    expect(reports(new Msg91EmailAdapter(), { requestId: 'e1', eventName: 'bounced' })[0].status).toBe('bounced');
    expect(reports(new Msg91EmailAdapter(), { requestId: 'e2', eventName: 'opened' })[0].status).toBe('read');
    expect(reports(new Msg91WhatsappAdapter(), { requestId: 'w1', status: 'Read' })[0].status).toBe('read');
    expect(new Msg91WhatsappAdapter().parseWebhook({ status: 'Read' })).toEqual({ reports: [], ignored: 1, malformed: {} });
  });

  it('names every item that is not a report object, wherever it sits in the body', () => {
    const sms = new Msg91SmsAdapter();
    expect(sms.parseWebhook([null]).malformed).toEqual({ 'payload.0': ['payload.0 must be a delivery report object, not null'] });
    expect(Object.keys(sms.parseWebhook([{ requestId: 'ok', status: '1' }, 7, 'x', []]).malformed)).toEqual(['payload.1', 'payload.2', 'payload.3']);
    expect(Object.keys(sms.parseWebhook({ data: [{ requestId: 'a', status: '1' }, null] }).malformed)).toEqual(['payload.data.1']);
    expect(Object.keys(sms.parseWebhook({ requestId: 'r', report: [false] }).malformed)).toEqual(['payload.report.0']);
    expect(Object.keys(sms.parseWebhook([{ event: 'x', data: [null] }]).malformed)).toEqual(['payload.0.data.0']);
  });

  it('refuses ids and statuses that are not text, and bodies that are no report at all', () => {
    const sms = new Msg91SmsAdapter();
    expect(sms.parseWebhook([{ requestId: { $gt: '' }, status: '1' }]).malformed).toEqual({
      'payload.0.requestId': ['payload.0.requestId must be text or a number'],
    });
    expect(Object.keys(sms.parseWebhook({ requestId: 'r', status: ['1'] }).malformed)).toEqual(['payload.status']);
    for (const body of ['not a report', '{broken json', 42, true]) expect(Object.keys(sms.parseWebhook(body).malformed)).toEqual(['payload']);
  });

  it('keeps a reason only when it is text', () => {
    expect(reports(new Msg91SmsAdapter(), { requestId: 'r', status: '2', failureReason: { code: 1 } })[0].reason).toBeUndefined();
  });
});

describe('recipient validation', () => {
  it('checks each channel on what it needs', () => {
    expect(checkRecipient('email', { type: 'c', name: 'n', email: 'bad' })).toMatchObject({ ok: false });
    expect(checkRecipient('sms', { type: 'c', name: 'n', phone: '+919812345678' })).toEqual({ ok: true, contact: '+919812345678' });
    expect(checkRecipient('whatsapp', { type: 'c', name: 'n', phone: '09812345678' })).toMatchObject({ ok: false });
    expect(checkRecipient('push', { type: 'c', name: 'n', deviceTokens: ['x'.repeat(30)] }, new Set(['x'.repeat(30)]))).toMatchObject({ ok: false });
    expect(checkRecipient('inapp', { type: 'user', name: 'n' })).toMatchObject({ ok: false });
  });
});
