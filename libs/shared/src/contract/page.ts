import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Describe, Nullable, QueryInt } from '../validation/decorators';
import { encodeCursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` of every list. */
export class PageQuery {
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  @Describe('Items per page (1–200, default 50)')
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Describe('The `nextCursor` of the previous page; absent for the first page')
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const pages = new Map<Function, Function>();

/**
 * The list answer of every list operation, `{ items, nextCursor }`, as a class named `<Item>Page` so the
 * document has one schema per item type.
 */
export function PageOf<T>(item: new () => T): new () => Page<T> {
  const existing = pages.get(item);
  if (existing) return existing as new () => Page<T>;
  class PageClass implements Page<T> {
    @ValidateNested({ each: true })
    @Type(() => item)
    items!: T[];

    @Nullable()
    @IsString()
    @MaxLength(2000)
    nextCursor!: string | null;
  }
  Object.defineProperty(PageClass, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pages.set(item, PageClass);
  return PageClass;
}

/** The page size a list query asks for (`?limit=`), or the default. Read `limit + 1` rows: see `pageOf`. */
export function pageLimit(query: { limit?: number }): number {
  return query.limit ?? DEFAULT_PAGE_SIZE;
}

/**
 * The keyset page of every list: from rows read in list order with `LIMIT limit + 1`, the first `limit`
 * as items and, when the extra row exists, the cursor of the last item given out (`keyOf`: its sort key,
 * the values `decodeCursor` checks on the way back in). `view` maps the items to the answer's shape.
 *
 * ```ts
 * const after = decodeCursor(input.cursor, ['timestamp', 'uuid']);
 * const rows = await this.events.list(db, tenantId, { ..., after, limit: limit + 1 });
 * return pageOf(rows, limit, (e) => [e.scheduledDate.toISOString(), e.id], eventView);
 * ```
 */
export function pageOf<R>(rows: readonly R[], limit: number, keyOf: (last: R) => ReadonlyArray<string | number>): Page<R>;
export function pageOf<R, V>(rows: readonly R[], limit: number, keyOf: (last: R) => ReadonlyArray<string | number>, view: (row: R) => V): Page<V>;
export function pageOf<R, V>(rows: readonly R[], limit: number, keyOf: (last: R) => ReadonlyArray<string | number>, view?: (row: R) => V): Page<R | V> {
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit && page.length > 0 ? encodeCursor(keyOf(page[page.length - 1])) : null;
  return { items: view ? page.map(view) : page, nextCursor };
}
