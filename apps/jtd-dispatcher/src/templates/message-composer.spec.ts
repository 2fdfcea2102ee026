import { randomBytes } from 'node:crypto';
import { seal } from '@app/shared/security/sealed-fields';
import { JtdDispatcherConfig } from '../jtd-dispatcher.config';
import { MessageComposer, SECRET_MASK, UnreadableSecretError } from './message-composer';
import { MissingVariableError, TemplateRow } from './template-renderer';

const KEY = randomBytes(32);
const TENANT = '6f1d2c3b-0000-4000-8000-000000000001';
const OTP_SMS: TemplateRow = {
  id: 't',
  tenantId: null,
  templateKey: 'otp_verification_sms_v1',
  channelCode: 'sms',
  subject: 'Code {{otp}}',
  content: 'Your OTP for ticket {{ticket_number}} is {{otp}}.',
  contentHtml: null,
  variables: ['otp', 'ticket_number'],
  providerTemplateId: null,
};

const composer = (key = KEY) => new MessageComposer({ SEALED_FIELDS_KEY: key.toString('base64') } as JtdDispatcherConfig);

describe('composing a message with sealed variables', () => {
  it('opens sealed variables for the provider copy only; the kept copy is masked in every part', () => {
    const m = composer().compose(OTP_SMS, { otp: seal('804013', KEY, TENANT), ticket_number: 'TKT-2026-00001' }, TENANT);
    expect(m.rendered.body).toBe('Your OTP for ticket TKT-2026-00001 is 804013.');
    expect(m.rendered.params).toEqual([
      { name: 'otp', value: '804013' },
      { name: 'ticket_number', value: 'TKT-2026-00001' },
    ]);
    expect(m.secrets).toEqual(['804013']);
    expect(m.shown.body).toBe(`Your OTP for ticket TKT-2026-00001 is ${SECRET_MASK}.`);
    expect(m.shown.subject).toBe(`Code ${SECRET_MASK}`);
    expect(JSON.stringify(m.shown)).not.toContain('804013');
  });

  it('renders a message without secrets once, for both uses', () => {
    const m = composer().compose(OTP_SMS, { otp: '4821', ticket_number: 'TK-9' }, TENANT);
    expect(m.shown).toBe(m.rendered);
    expect(m.secrets).toEqual([]);
  });

  it('fails on a value sealed under another key or for another tenant, naming the variable only', () => {
    const sealed = seal('804013', KEY, TENANT);
    for (const [c, tenant] of [
      [composer(randomBytes(32)), TENANT],
      [composer(), '6f1d2c3b-0000-4000-8000-000000000002'],
    ] as const) {
      let error: Error | undefined;
      try {
        c.compose(OTP_SMS, { otp: sealed, ticket_number: 'TK-9' }, tenant);
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeInstanceOf(UnreadableSecretError);
      expect(error!.message).toContain('otp');
      expect(error!.message).not.toContain('804013');
    }
  });

  it('still reports a missing variable', () => {
    expect(() => composer().compose(OTP_SMS, { otp: seal('804013', KEY, TENANT) }, TENANT)).toThrow(MissingVariableError);
  });
});
