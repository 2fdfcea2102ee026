/**
 * TypeORM's postgres `query()` answers UPDATE/DELETE with `[rows, rowCount]` and everything else with
 * `rows`; this gives the rows either way.
 */
export function rowsOf<T = any>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** A statement with its parameters numbered from a given `$n`, to be embedded in another (a data-modifying CTE). */
export interface SqlPart {
  sql: string;
  params: unknown[];
}
