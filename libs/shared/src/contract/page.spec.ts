import { decodeCursor } from './cursor';
import { pageLimit, pageOf } from './page';

describe('pageOf', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `id-${n}`, at: new Date(Date.UTC(2026, 0, n)) }));
  const keyOf = (r: { id: string; at: Date }) => [r.at.toISOString(), r.id];

  it('gives the first `limit` rows and the cursor of the last one when more follow', () => {
    const page = pageOf(rows, 2, keyOf);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.nextCursor, ['timestamp', 'text'])).toEqual(['2026-01-02T00:00:00.000Z', 'id-2']);
  });

  it('has no next cursor on the last page, and maps items through a view', () => {
    expect(pageOf(rows, 3, keyOf, (r) => r.id)).toEqual({ items: ['id-1', 'id-2', 'id-3'], nextCursor: null });
    expect(pageOf([], 3, keyOf)).toEqual({ items: [], nextCursor: null });
  });

  it('uses the default page size unless the query names one', () => {
    expect(pageLimit({})).toBe(50);
    expect(pageLimit({ limit: 5 })).toBe(5);
  });
});
