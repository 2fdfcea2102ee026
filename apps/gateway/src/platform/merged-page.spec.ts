import { decodeMergedCursor, keyFor, mergePages } from './merged-page';

type Item = { at: string; key: number };
const item = (at: string, key: number): Item => ({ at, key });

describe('merged pages of several services', () => {
  const t1 = '2026-01-01T10:00:00.001Z';
  const t2 = '2026-01-01T10:00:00.002Z';

  it('orders newest first, then by service rank, then by key, and cuts at the limit with a cursor', () => {
    const merged = mergePages<Item>(
      [
        { service: 'tickets', items: [item(t2, 7), item(t1, 3)], more: false },
        { service: 'events', items: [item(t2, 5), item(t2, 4)], more: false },
      ],
      3,
      (i) => i.at,
      (i) => i.key,
    );
    expect(merged.items.map((i) => `${i.service}:${i.key}`)).toEqual(['events:5', 'events:4', 'tickets:7']);
    expect(decodeMergedCursor(merged.nextCursor!, 'int')).toEqual({ at: t2, service: 'tickets', key: 7 });
  });

  it('has no cursor when every service is exhausted and everything fit', () => {
    const merged = mergePages<Item>(
      [{ service: 'events', items: [item(t1, 1)], more: false }],
      5,
      (i) => i.at,
      (i) => i.key,
    );
    expect(merged.nextCursor).toBeNull();
  });

  it('continues each service exactly after the cursor', () => {
    const cursor = { at: t2, service: 'tickets' as const, key: 7 };
    expect(keyFor(cursor, 'tickets', 'ALL', 'NONE')).toBe(7);
    expect(keyFor(cursor, 'events', 'ALL', 'NONE')).toBe('NONE'); // ranked before tickets: its rows at t2 came already
    expect(keyFor(cursor, 'jtd-dispatcher', 'ALL', 'NONE')).toBe('ALL'); // ranked after: all its rows at t2 are still to come
  });

  it('refuses a cursor it did not make', () => {
    expect(() => decodeMergedCursor('garbage', 'int')).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() => decodeMergedCursor(Buffer.from(JSON.stringify([t1, 'billing', 3])).toString('base64url'), 'int')).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });
});
