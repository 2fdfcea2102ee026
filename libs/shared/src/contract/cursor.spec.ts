import fc from 'fast-check';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from './cursor';

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError && e.code === ErrorCode.INVALID_CURSOR;
  }
  return false;
};

describe('cursor codec', () => {
  it('gives back what it encoded', () => {
    const c = encodeCursor(['2026-03-01T09:30:00.000Z', '3f1c1e6e-7a4b-4c1d-9d7e-0a1b2c3d4e5f', 42]);
    expect(decodeCursor(c, ['timestamp', 'uuid', 'int'] as const)).toEqual(['2026-03-01T09:30:00.000Z', '3f1c1e6e-7a4b-4c1d-9d7e-0a1b2c3d4e5f', 42]);
  });

  it('treats an absent or empty cursor as the first page', () => {
    expect(decodeCursor(undefined, ['uuid'] as const)).toBeUndefined();
    expect(decodeCursor('', ['uuid'] as const)).toBeUndefined();
  });

  it.each([
    ['an id of 36 dashes', encodeCursor(['2026-03-01T09:30:00Z', '-'.repeat(36)])],
    ['a time that is not one', encodeCursor(['yesterday', '3f1c1e6e-7a4b-4c1d-9d7e-0a1b2c3d4e5f'])],
    ['the old pipe form', Buffer.from('2026-03-01T09:30:00Z|x').toString('base64url')],
    ['a shorter key', encodeCursor(['2026-03-01T09:30:00Z'])],
    ['not base64url', 'a+b/c=='],
  ])('refuses %s with INVALID_CURSOR', (_what, cursor) => {
    expect(invalid(() => decodeCursor(cursor, ['timestamp', 'uuid'] as const))).toBe(true);
  });

  it('refuses every string it did not give out, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
          const v = decodeCursor(s, ['timestamp', 'uuid'] as const);
          return v === undefined || (typeof v[0] === 'string' && typeof v[1] === 'string');
        } catch (e) {
          return e instanceof DomainError && e.code === ErrorCode.INVALID_CURSOR;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
