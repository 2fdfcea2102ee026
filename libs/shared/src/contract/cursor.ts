import { DomainError, ErrorCode } from '../errors/domain-error';

/** The kinds of value a keyset position holds. */
export type CursorPart = 'timestamp' | 'uuid' | 'int' | 'text';
type ValueOf<P extends CursorPart> = P extends 'int' ? number : string;
export type CursorValues<S extends readonly CursorPart[]> = { [K in keyof S]: S[K] extends CursorPart ? ValueOf<S[K]> : never };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v)) && Math.abs(Date.parse(v)) < 253402300800000,
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  int: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  text: (v) => typeof v === 'string' && v.length <= 200 && !v.includes('\u0000'),
};

/**
 * Keyset cursors of every list: the sort key of the last item given out, as base64url JSON. Opaque to
 * clients, and checked on the way back in: a cursor this list did not give out (edited, truncated, from
 * another list) is refused with 400 INVALID_CURSOR before it reaches a query.
 */
export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string | undefined | null, shape: S): CursorValues<S> | undefined {
  if (cursor === undefined || cursor === null || cursor === '') return undefined;
  let values: unknown;
  try {
    values = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== shape.length || !shape.every((part, i) => CHECKS[part](values[i]))) {
    throw new DomainError(ErrorCode.INVALID_CURSOR, 'the cursor is not one this list gave out; start again without it', undefined, {
      cursor: ['cursor must be the nextCursor of a previous page of this list'],
    });
  }
  return values as CursorValues<S>;
}

/**
 * A timestamp column as keyset text, to the microsecond Postgres keeps (select it beside the row for
 * its cursor): through a JavaScript Date it would be cut to milliseconds, and rows written within the same
 * millisecond as a page's last one would be skipped.
 */
export function cursorTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
