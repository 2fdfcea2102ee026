import { DomainError } from '../errors/domain-error';

/** Keyset position in a newest-first list: (created_at, id). Opaque to clients. */
export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string') throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw DomainError.validation({ cursor: ['cursor is not valid'] });
  }
}

/**
 * Position in a service's event log: (created_at, seq), newest first. `seq` is the outbox sequence; a caller
 * merging several services may pass Number.MAX_SAFE_INTEGER ("everything at this instant") or 0 ("nothing at
 * this instant") to place the cursor between services.
 */
export interface LogCursor {
  createdAt: string;
  seq: number;
}

export function encodeLogCursor(c: LogCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.seq])).toString('base64url');
}

export function decodeLogCursor(value: string | undefined): LogCursor | undefined {
  if (!value) return undefined;
  try {
    const [createdAt, seq] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, number];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || !Number.isSafeInteger(seq) || seq < 0) throw new Error('shape');
    return { createdAt, seq };
  } catch {
    throw DomainError.validation({ cursor: ['cursor is not valid'] });
  }
}
