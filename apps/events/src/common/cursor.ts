import { DomainError } from '@app/shared/errors/domain-error';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: any) => v is T): T | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation({ cursor: ['cursor is not valid'] });
}

export const DEFAULT_LIMIT = 50;
