import { Msg91EmailAdapter, Msg91SmsAdapter, Msg91WhatsappAdapter } from './msg91-adapters';
import { checkRecipient } from '../recipients/recipient-validator';

describe('MSG91 delivery report parsing', () => {
  it('maps SMS numeric DLR codes, including NDNC and rejected', () => {
    const sms = new Msg91SmsAdapter();
    expect(sms.parseWebhook({ requestId: 'r1', status: '1' })).toEqual([{ providerMessageId: 'r1', status: 'delivered', providerCode: undefined, reason: undefined }]);
    expect(sms.parseWebhook([{ requestId: 'r2', status: '9' }])[0]).toMatchObject({ status: 'failed', providerCode: 'NDNC' });
    expect(sms.parseWebhook({ requestId: 'r3', status: '16', failureReason: 'DLT' })[0]).toMatchObject({ status: 'failed', providerCode: 'REJECTED', reason: 'DLT' });
  });

  it('reads the form-style body with stringified JSON data and per-number reports', () => {
    const sms = new Msg91SmsAdapter();
    const body = { data: JSON.stringify([{ requestId: 'r4', report: [{ status: '1' }] }]) };
    expect(sms.parseWebhook(body)).toEqual([]); // nested report arrays without status on the item are ignored safely
    expect(sms.parseWebhook({ requestId: 'r5', report: [{ status: '2', desc: 'FAILED' }] })[0]).toMatchObject({ providerMessageId: 'r5', status: 'failed' });
  });

  it('reads form-encoded bodies: a data field with JSON, or flat fields', () => {
    const sms = new Msg91SmsAdapter();
    const data = new URLSearchParams({ data: JSON.stringify([{ requestId: 'f1', status: '1' }, { requestId: 'f2', status: '9', failureReason: 'NDNC' }]) }).toString();
    expect(sms.parseWebhook(data)).toEqual([
      { providerMessageId: 'f1', status: 'delivered', providerCode: undefined, reason: undefined },
      { providerMessageId: 'f2', status: 'failed', providerCode: 'NDNC', reason: 'NDNC' },
    ]);
    expect(new Msg91EmailAdapter().parseWebhook('requestId=f3&eventName=delivered')).toEqual([{ providerMessageId: 'f3', status: 'delivered', providerCode: undefined, reason: undefined }]);
    // What a form parser in front of us would hand over: the fields as an object.
    expect(sms.parseWebhook({ data: JSON.stringify({ requestId: 'f4', status: '2' }) })[0]).toMatchObject({ providerMessageId: 'f4', status: 'failed' });
    expect(sms.parseWebhook('not a report')).toEqual([]);
    expect(sms.parseWebhook('{broken json')).toEqual([]);
  });

  it('maps email events and WhatsApp statuses', () => {
    expect(new Msg91EmailAdapter().parseWebhook({ requestId: 'e1', eventName: 'bounced' })[0].status).toBe('bounced');
    expect(new Msg91EmailAdapter().parseWebhook({ requestId: 'e2', eventName: 'opened' })[0].status).toBe('read');
    expect(new Msg91WhatsappAdapter().parseWebhook({ requestId: 'w1', status: 'Read' })[0].status).toBe('read');
    expect(new Msg91WhatsappAdapter().parseWebhook({ status: 'Read' })).toEqual([]);
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
