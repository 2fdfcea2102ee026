import { decodeCursor, encodeCursor } from '@app/shared/contract/cursor';
import { DEFAULT_PAGE_SIZE, Page } from '@app/shared/contract/page';

/** Where a keyset list stopped: the time it sorts by and the id that breaks ties. */
export interface Position {
  at: Date;
  id: string;
}

/** The position a `cursor` names, or none for the first page; a cursor this service did not give out is 400 INVALID_CURSOR. */
export function positionOf(cursor: string | undefined): Position | undefined {
  const values = decodeCursor(cursor, ['timestamp', 'uuid']);
  return values && { at: new Date(values[0]), id: values[1] };
}

/**
 * One page from `limit + 1` rows read in list order: the extra row only says whether there is a next
 * page, whose cursor is the position of the last item given out.
 */
export function pageOf<R, V>(rows: R[], limit: number, positionOfRow: (row: R) => Position, view: (row: R) => V): Page<V> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit ? positionOfRow(last) : undefined;
  return { items: page.map(view), nextCursor: next ? encodeCursor([next.at.toISOString(), next.id]) : null };
}

export function limitOf(query: { limit?: number }): number {
  return query.limit ?? DEFAULT_PAGE_SIZE;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}
