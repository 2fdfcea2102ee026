import { DomainError } from '@app/shared/errors/domain-error';
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
  return Buffer.from(JSON.stringify([c.at, c.service, c.key])).toString('base64url');
}

export function decodeMergedCursor(value: string | undefined): MergedCursor | undefined {
  if (!value) return undefined;
  try {
    const [at, service, key] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !SERVICES.includes(service) || !['string', 'number'].includes(typeof key)) throw new Error('shape');
    return { at, service, key };
  } catch {
    throw DomainError.validation({ cursor: ['cursor is not valid'] });
  }
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
