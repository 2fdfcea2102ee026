import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Describe, Nullable, QueryInt } from '../validation/decorators';

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
