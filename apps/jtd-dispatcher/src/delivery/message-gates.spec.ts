import { randomBytes } from 'node:crypto';
import { seal } from '@app/shared/security/sealed-fields';
import { job, template, TENANT, tenantConfig } from '../../test/support/unit-factories';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { JobRow } from '../jobs/job-row';
import { MessageComposer, SECRET_MASK } from '../templates/message-composer';
import { StoredTemplate } from '../templates/template.repository';
import { GateInputs, gateMessage } from './message-gates';

const KEY = randomBytes(32);
const composer = new MessageComposer({ SEALED_FIELDS_KEY: KEY.toString('base64') } as JtdDispatcherConfig);
const NOW = new Date('2026-11-22T06:00:00Z'); // 11:30 in Kolkata

function gate(j: JobRow, over: Partial<GateInputs> = {}) {
  return gateMessage(j, {
    config: tenantConfig(),
    template: template(),
    profileProblem: undefined,
    deadTokens: new Set(),
    render: (t: StoredTemplate) => composer.compose(t, j.variables, j.tenantId),
    smsMaxSegments: 4,
    now: NOW,
    ...over,
  });
}

const OTP_SMS = template({ channelCode: 'sms', templateKey: 'otp_sms', subject: null, content: 'Your code is {{otp}}.', variables: ['otp'] });

describe('delivery gates', () => {
  it('passes a job with a usable recipient and a complete message, rendered for the provider and masked for keeping', () => {
    const otp = job({ channelCode: 'sms', variables: { otp: seal('804013', KEY, TENANT) } });
    const v = gate(otp, { template: OTP_SMS });
    expect(v).toMatchObject({ kind: 'pass', contact: '+919812345678' });
    if (v.kind !== 'pass') throw new Error('expected a pass');
    expect(v.message.rendered.body).toBe('Your code is 804013.');
    expect(v.message.shown.body).toBe(`Your code is ${SECRET_MASK}.`);
    expect(v.message.secrets).toEqual(['804013']);
  });

  it('fails the jobs of a tenant whose provider profile is no longer bound to it, before anything else', () => {
    expect(
      gate(job({ recipient: { type: 'customer', name: 'No address' } }), { profileProblem: 'provider profile globex is not configured for this tenant' }),
    ).toEqual({
      kind: 'fail',
      code: 'PROVIDER_PROFILE_NOT_ALLOWED',
      message: 'provider profile globex is not configured for this tenant',
    });
  });

  it('fails a recipient the channel cannot use: no address, a phone that is not E.164, a dead push token', () => {
    expect(gate(job({ recipient: { type: 'customer', name: 'R' } }))).toMatchObject({
      kind: 'fail',
      code: 'INVALID_RECIPIENT',
      message: 'recipient has no email address',
    });
    expect(gate(job({ channelCode: 'sms', recipient: { type: 'customer', name: 'R', phone: '09812345678' } }), { template: OTP_SMS })).toMatchObject({
      code: 'INVALID_RECIPIENT',
    });
    const token = 'device-token-abcdefghijklmnopqrstuvwxyz';
    expect(
      gate(job({ channelCode: 'push', recipient: { type: 'customer', name: 'R', deviceTokens: [token] } }), { deadTokens: new Set([token]) }),
    ).toMatchObject({
      kind: 'fail',
      code: 'INVALID_RECIPIENT',
      message: 'recipient has no live device token',
    });
  });

  it('fails a job whose template is gone, whose variable is missing, or whose sealed value does not open, naming the variable only', () => {
    expect(gate(job(), { template: null })).toMatchObject({ code: 'NO_TEMPLATE' });
    expect(gate(job({ variables: { customer_name: 'Ravi' } }))).toMatchObject({
      code: 'MISSING_VARIABLE',
      message: 'template variable service_type is missing',
    });
    const foreign = gate(job({ channelCode: 'sms', variables: { otp: seal('804013', randomBytes(32), TENANT) } }), { template: OTP_SMS });
    expect(foreign).toMatchObject({ kind: 'fail', code: 'UNREADABLE_SECRET' });
    expect(JSON.stringify(foreign)).not.toContain('804013');
  });

  it('fails an SMS longer than the allowed segments', () => {
    const long = template({ channelCode: 'sms', subject: null, content: '{{customer_name}}', variables: ['customer_name'] });
    expect(gate(job({ channelCode: 'sms', variables: { customer_name: 'x'.repeat(700) } }), { template: long })).toEqual({
      kind: 'fail',
      code: 'SMS_TOO_LONG',
      message: 'SMS needs 5 gsm7 segments (max 4)',
    });
  });

  it('defers a message inside the tenant’s quiet hours to their end, in its timezone; in-app messages have none', () => {
    const quiet = tenantConfig({ timezone: 'Asia/Kolkata', quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    const night = new Date('2026-11-22T18:00:00Z'); // 23:30 IST
    expect(gate(job(), { config: quiet, now: night })).toEqual({ kind: 'defer', until: new Date('2026-11-23T01:30:00.000Z') });
    expect(gate(job(), { config: quiet })).toMatchObject({ kind: 'pass' });
    const inapp = job({ channelCode: 'inapp', recipient: { type: 'user', id: '22222222-2222-4222-8222-222222222222', name: 'U' } });
    expect(gate(inapp, { config: quiet, now: night })).toMatchObject({ kind: 'pass', contact: '22222222-2222-4222-8222-222222222222' });
  });
});
