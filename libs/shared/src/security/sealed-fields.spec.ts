import { randomBytes } from 'node:crypto';
import { DEV_SEALED_FIELDS_KEY } from './dev-defaults';
import { containsSealed, isSealed, maskSecretValues, redactSealed, seal, SealedValueError, sealingKey, unseal } from './sealed-fields';

describe('sealed fields', () => {
  const key = randomBytes(32);
  const tenant = '6f1d2c3b-0000-4000-8000-000000000001';

  it('opens what it sealed, under the same key and tenant', () => {
    for (const value of ['804013', '', 'ünïcødé ✓', 'x'.repeat(5000)]) {
      const sealed = seal(value, key, tenant);
      expect(isSealed(sealed)).toBe(true);
      expect(sealed.$sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
      expect(unseal(sealed, key, tenant)).toBe(value);
    }
  });

  it('shows nothing of the clear value: not the value, not its base64, and never the same form twice', () => {
    const code = '804013';
    const a = seal(code, key, tenant);
    const b = seal(code, key, tenant);
    const text = JSON.stringify(a);
    for (const form of [code, Buffer.from(code).toString('base64'), Buffer.from(code).toString('base64url'), Buffer.from(code).toString('hex')]) {
      expect(text).not.toContain(form);
    }
    expect(a.$sealed).not.toBe(b.$sealed);
  });

  it('detects tampering with the iv, the ciphertext or the tag', () => {
    const sealed = seal('804013', key, tenant);
    const parts = sealed.$sealed.split('.');
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = { $sealed: parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.') };
      expect(() => unseal(tampered, key, tenant)).toThrow(SealedValueError);
    }
    expect(() => unseal({ $sealed: 'v2.' + parts.slice(1).join('.') }, key, tenant)).toThrow('not a sealed value');
  });

  it('refuses another key and another tenant, without saying the value', () => {
    const sealed = seal('804013', key, tenant);
    const errors = [() => unseal(sealed, randomBytes(32), tenant), () => unseal(sealed, key, '6f1d2c3b-0000-4000-8000-000000000002')].map((f) => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('opened');
    });
    for (const e of errors) {
      expect(e).toBeInstanceOf(SealedValueError);
      expect(e.message).not.toContain('804013');
    }
  });

  it('takes its key as the base64 of 32 bytes and nothing else', () => {
    expect(sealingKey(DEV_SEALED_FIELDS_KEY)).toHaveLength(32);
    for (const bad of ['', 'c2hvcnQ=', randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), `${DEV_SEALED_FIELDS_KEY.slice(0, -1)}!`]) {
      expect(() => sealingKey(bad)).toThrow('base64 of 32 bytes');
    }
  });

  it('redacts sealed values at any depth and leaves everything else', () => {
    const sealed = seal('804013', key, tenant);
    const doc = { otp: sealed, list: [1, sealed, { deep: sealed }], keep: 'text', n: 3, none: null, lookalike: { $sealed: 'x', other: 1 } };
    const out = redactSealed(doc);
    expect(out).toEqual({
      otp: '[sealed]',
      list: [1, '[sealed]', { deep: '[sealed]' }],
      keep: 'text',
      n: 3,
      none: null,
      lookalike: { $sealed: 'x', other: 1 },
    });
    expect(doc.otp).toBe(sealed);
    expect(redactSealed(doc, '••••••').otp).toBe('••••••');
    expect(containsSealed(doc)).toBe(true);
    expect(containsSealed(out)).toBe(false);
  });

  it('masks known secret values wherever they appear in text, keys included', () => {
    const outcome = { kind: 'permanent', message: 'template rejected: "Your code is 804013"', response: { echo: ['804013'], '804013': true }, status: 400 };
    expect(maskSecretValues(outcome, ['804013'], '••••••')).toEqual({
      kind: 'permanent',
      message: 'template rejected: "Your code is ••••••"',
      response: { echo: ['••••••'], '••••••': true },
      status: 400,
    });
    expect(maskSecretValues(outcome, [], '••••••')).toBe(outcome);
    expect(maskSecretValues(outcome, [''], '••••••')).toBe(outcome);
  });
});
