import { encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';

/**
 * A timestamp column as keyset text, to the microsecond Postgres keeps: through a JavaScript Date it would
 * be cut to milliseconds, and rows created within the same millisecond as a page's last one would be skipped.
 */
export function cursorTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function pageSize(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_SIZE;
}

/** Rows read with `LIMIT size + 1`: the page, and the cursor of its last item when more rows follow. */
export function toPage<R, T>(rows: R[], size: number, view: (row: R) => T, keyOf: (row: R) => ReadonlyArray<string | number>): Page<T> {
  const page = rows.slice(0, size);
  return { items: page.map(view), nextCursor: rows.length > size ? encodeCursor(keyOf(page[page.length - 1])) : null };
}
