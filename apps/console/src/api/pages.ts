/** Every item of a cursor-paged list (`{ items, nextCursor }`), page after page, up to `maxPages`. */
export async function allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | null }>, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const answer = await page(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}
