import { randomUUID } from 'node:crypto';
import { encodeCursor } from '@app/shared/contract/cursor';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { pageOf, positionOf } from './page';

const row = (i: number) => ({ id: randomUUID(), at: new Date(Date.UTC(2026, 0, 1, 0, i)) });

describe('keyset pages of the tickets lists', () => {
  it('gives out a cursor that names the last item shown, and none on the last page', () => {
    const rows = [row(1), row(2), row(3)];
    const first = pageOf(rows, 2, (r) => r, (r) => r.id);
    expect(first.items).toEqual([rows[0].id, rows[1].id]);
    expect(positionOf(first.nextCursor!)).toEqual({ at: rows[1].at, id: rows[1].id });
    expect(pageOf(rows.slice(2), 2, (r) => r, (r) => r.id).nextCursor).toBeNull();
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['the pipe form the service used to give out', Buffer.from(`2026-01-01T00:00:00.000Z|${randomUUID()}`).toString('base64url')],
    ['another list’s key', encodeCursor([42])],
    ['a time that is not one', encodeCursor(['tomorrow', randomUUID()])],
  ])('refuses %s with INVALID_CURSOR', (_what, cursor) => {
    expect(() => positionOf(cursor)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }) as DomainError);
  });
});
