import './testing/test-events.fixture';
import { randomBytes, randomUUID } from 'node:crypto';
import { catalogEntry, findEventDefinition, redactEnvelope, validateEventPayload } from '../catalog/event-catalog';
import { isSealed, seal, unseal } from '../security/sealed-fields';
import { checkIncoming } from './envelope-validation';
import { defineEvent } from './event-definition';
import { redactSensitiveFields, sealSensitiveFields } from './sensitive-fields';
import { TEST_SECRET_ISSUED } from './testing/test-events.fixture';
import { testEnvelope } from './testing/raw-publish';

describe('sensitive fields of the catalog', () => {
  const key = randomBytes(32);
  const tenant = randomUUID();
  const payload = () => ({
    tenantId: tenant,
    occurredAt: new Date().toISOString(),
    widgetId: randomUUID(),
    pin: '8040',
    holders: [
      { name: 'Asha', token: 'tok-asha-1' },
      { name: 'Ravi', token: 'tok-ravi-2' },
    ],
  });

  it('marks JTD_REQUESTED’s OTP sensitive and says so in the served catalog', () => {
    expect(catalogEntry(findEventDefinition('JTD_REQUESTED')!).sensitiveFields).toEqual(['variables.otp']);
    expect(catalogEntry(findEventDefinition('TEST_WIDGET_CHANGED')!).sensitiveFields).toEqual([]);
  });

  it('refuses a sensitive path that is not dot-separated keys', () => {
    expect(() => defineEvent({ ...TEST_SECRET_ISSUED, sensitive: ['holders[0].token'] })).toThrow('sensitive path');
  });

  it('seals every place a path names, wildcards included, and nothing else', () => {
    const p = payload();
    const sealed = sealSensitiveFields(TEST_SECRET_ISSUED, p, key, tenant);
    expect(isSealed(sealed.pin)).toBe(true);
    expect(sealed.holders.map((h) => h.name)).toEqual(['Asha', 'Ravi']);
    expect(sealed.holders.map((h) => unseal(h.token as never, key, tenant))).toEqual(['tok-asha-1', 'tok-ravi-2']);
    expect(unseal(sealed.pin as never, key, tenant)).toBe('8040');
    expect(p.pin).toBe('8040'); // a copy: the producer's object is left alone
    expect(JSON.stringify(sealed)).not.toMatch(/8040|tok-asha|tok-ravi/);
  });

  it('leaves sealed values and absent paths as they are', () => {
    const once = sealSensitiveFields(TEST_SECRET_ISSUED, payload(), key, tenant);
    expect(sealSensitiveFields(TEST_SECRET_ISSUED, once, key, tenant)).toEqual(once);
    const { holders: _none, ...without } = payload();
    expect(Object.keys(sealSensitiveFields(TEST_SECRET_ISSUED, without, key, tenant))).not.toContain('holders');
  });

  it('reports a sensitive field that is not a value', () => {
    const refused: string[] = [];
    sealSensitiveFields(TEST_SECRET_ISSUED, { ...payload(), pin: { nested: 'x' } }, key, tenant, (path) => refused.push(path));
    expect(refused).toEqual(['pin']);
  });

  it('validates the clear value, and on receipt takes a sealed value where the schema says string', () => {
    expect(validateEventPayload(TEST_SECRET_ISSUED, { ...payload(), pin: '12' }, true)).toEqual({ pin: [expect.stringContaining('pin')] });
    const sealed = sealSensitiveFields(TEST_SECRET_ISSUED, payload(), key, tenant);
    expect(validateEventPayload(TEST_SECRET_ISSUED, sealed, false)).toBeUndefined();
    // …but only at its sensitive paths: an object where a string belongs is still wrong elsewhere
    const wrongPlace = { ...sealed, holders: [{ name: seal('Asha', key, tenant), token: sealed.holders[0].token }] };
    expect(Object.keys(validateEventPayload(TEST_SECRET_ISSUED, wrongPlace, false) ?? {})).toEqual(['holders.0.name']);

    const env = testEnvelope('TEST_SECRET_ISSUED', sealed as unknown as Record<string, unknown>, { tenantId: tenant });
    expect(checkIncoming(JSON.stringify(env))).toMatchObject({ ok: true });
  });

  it('shows readers [sealed] for sealed values and for clear values that slipped in at a sensitive path', () => {
    const sealed = sealSensitiveFields(TEST_SECRET_ISSUED, payload(), key, tenant);
    expect(redactSensitiveFields(TEST_SECRET_ISSUED, sealed)).toMatchObject({
      pin: '[sealed]',
      holders: [
        { name: 'Asha', token: '[sealed]' },
        { name: 'Ravi', token: '[sealed]' },
      ],
    });
    expect(redactSensitiveFields(TEST_SECRET_ISSUED, payload())).toMatchObject({ pin: '[sealed]', holders: [{ token: '[sealed]' }, { token: '[sealed]' }] });

    const jtd = testEnvelope('JTD_REQUESTED', { variables: { otp: '804013', ticket_number: 'TKT-2026-00001' } });
    expect(redactEnvelope(jtd).payload).toMatchObject({ variables: { otp: '[sealed]', ticket_number: 'TKT-2026-00001' } });
    expect(jtd.payload).toMatchObject({ variables: { otp: '804013' } });
    // an envelope of no known type still loses its sealed values
    expect(redactEnvelope({ type: 'NOT_IN_CATALOG', payload: { x: seal('s', key, tenant) } }).payload).toEqual({ x: '[sealed]' });
  });
});
