import { decodeCursor, encodeCursor } from '@app/shared/contract/cursor';
import { DomainError, ErrorCode } from '@app/shared/errors/domain-error';
import { SERVICES, ServiceName } from '@app/shared/rpc/rpc-request';

/**
 * Newest-first pages merged from every service. The services' lists are ordered by (time desc, key desc);
 * across services ties at the same instant are broken by the service's rank in SERVICES, so the merged
 * order is total and a cursor (time, service, key) tells each service exactly where to continue.
 */
export interface MergedCursor {
  at: string;
  service: ServiceName;
  key: string | number;
}

export function encodeMergedCursor(c: MergedCursor): string {
  return encodeCursor([c.at, c.service, c.key]);
}

/** The merged position; `key` is what the services' own lists are keyed by after the time (an id or a sequence). */
export function decodeMergedCursor(value: string | undefined, key: 'uuid' | 'int'): MergedCursor | undefined {
  const decoded = decodeCursor(value, ['timestamp', 'text', key] as const);
  if (!decoded) return undefined;
  const [at, service, k] = decoded;
  if (!(SERVICES as readonly string[]).includes(service)) {
    throw new DomainError(ErrorCode.INVALID_CURSOR, 'the cursor is not one this list gave out; start again without it', undefined, {
      cursor: ['cursor must be the nextCursor of a previous page of this list'],
    });
  }
  return { at, service: service as ServiceName, key: k };
}

/** Where `service` continues after `cursor`: its own key, or everything / nothing at that instant. */
export function keyFor<K>(cursor: MergedCursor, service: ServiceName, all: K, none: K): K | string | number {
  if (cursor.service === service) return cursor.key;
  return SERVICES.indexOf(service) > SERVICES.indexOf(cursor.service) ? all : none;
}

export function mergePages<T>(
  pages: { service: ServiceName; items: T[]; more: boolean }[],
  limit: number,
  at: (item: T) => string,
  key: (item: T) => string | number,
): { items: (T & { service: ServiceName })[]; nextCursor: string | null } {
  const all = pages.flatMap((p) => p.items.map((item) => ({ ...item, service: p.service })));
  all.sort((a, b) => {
    const t = Date.parse(at(b)) - Date.parse(at(a));
    if (t !== 0) return t;
    const s = SERVICES.indexOf(a.service) - SERVICES.indexOf(b.service);
    if (s !== 0) return s;
    const ka = key(a);
    const kb = key(b);
    return ka === kb ? 0 : ka < kb ? 1 : -1;
  });
  const items = all.slice(0, limit);
  const more = all.length > limit || pages.some((p) => p.more);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeMergedCursor({ at: at(last), service: last.service, key: key(last) }) : null };
}
