import { unsafeInputErrors } from './safe-input';

describe('unsafeInputErrors', () => {
  it('answers a field named like a member of Object.prototype instead of throwing', () => {
    expect(unsafeInputErrors(JSON.parse('{"constructor": 1}'))).toEqual({ constructor: ['constructor is not an allowed field name'] });
    expect(unsafeInputErrors(JSON.parse('{"toString": "a\\u0000"}'))).toEqual({
      toString: ['toString contains a NUL character or an unpaired UTF-16 surrogate'],
    });
    const proto = unsafeInputErrors(JSON.parse('{"__proto__": 1}'));
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.entries(proto ?? {})).toEqual([['__proto__', ['__proto__ is not an allowed field name']]]);
  });

  it('answers null for a safe input', () => {
    expect(unsafeInputErrors({ a: ['b', { c: 1 }] })).toBeNull();
  });
});
